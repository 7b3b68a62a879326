import type { NotificationChoices } from '../../shared/contract.js';
import type { PortReady } from '../../shared/ports.js';
import type { LogViewTarget } from '../../shared/workspace-log.js';
import { AWS_SIGN_IN_LABEL, CHANGING_STATES, type Workspace } from '../../shared/workspace.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { UNATTACHED_STATIC_IP_USD_PER_MONTH } from '../workspaces/workspace-cost.js';
import { type FirewallFollowed, firewallFollowedMessage } from '../workspaces/firewall-follow.js';

/**
 * Which changes become desktop notifications. Pure: the adapter feeds it the
 * engine's events and the workspace list with the time, and shows what comes
 * back. A user hears about what happened on its own (ready after a wait, an
 * idle stop, a failure, an expired sign-in, money spent on an idle address),
 * not about what they just did in front of them.
 */

export interface WorkspaceTarget {
  name: string;
  region: string;
  /** The workspace's account, so a click acts on it whichever account is active. */
  account?: string;
}

/** What a click on the notification opens. */
export type NotificationTarget = { open: 'workspace'; ref: WorkspaceTarget } | { open: 'dashboard' } | { open: 'logs'; target: LogViewTarget } | { signIn: string } | { openUrl: string } | { awsSignIn: WorkspaceTarget };

export interface DesktopNotification {
  /** Equal keys within the quiet window are one notification. */
  key: string;
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  target: NotificationTarget;
  /** A button beside the click, e.g. "Sign in". */
  action?: { label: string; target: NotificationTarget };
}

export interface NotificationPolicyOptions {
  choices: () => NotificationChoices;
  /** Whether the user is looking at this workspace now (its window or the dashboard is focused). */
  isWatching: (ref: WorkspaceTarget) => boolean;
  now: () => number;
  /** The same notification is not repeated within this long. */
  quietMs?: number;
  /** How often the cost of a kept, unattached static IP is brought up again. */
  costReminderEveryMs?: number;
  /** How many accounts are enabled: with more than one, a workspace's notification names its account. */
  enabledAccounts?: () => number;
}

export const DEFAULT_QUIET_MS = 10 * 60_000;
export const DEFAULT_COST_REMINDER_EVERY_MS = 24 * 60 * 60_000;

const ARRIVING = new Set(['creating', 'provisioning', 'starting', 'resuming', 'restoring']);

export class NotificationPolicy {
  readonly #options: NotificationPolicyOptions;
  /** When each key was last shown. */
  readonly #shown = new Map<string, number>();
  /** Accounts told about an expired sign-in, until it works again. */
  readonly #expired = new Set<string>();
  /** Workspaces whose idle agent warned, with the stop time it gave: their next stop is the idle stop. */
  readonly #idleWarned = new Map<string, string>();
  /**
   * Workspaces with an operation the user started and that has not settled.
   * The engine publishes an operation's last change from the refresh that
   * follows it, as seen in the cloud; the user still caused it.
   */
  readonly #userOperations = new Set<string>();
  /** Ports announced this session: each once, however often its server restarts. */
  readonly #portsAnnounced = new Set<string>();
  /** Workspaces told that their own AWS sign-in expired, until they are signed in again. */
  readonly #awsExpired = new Set<string>();

  constructor(options: NotificationPolicyOptions) {
    this.#options = options;
  }

  /** With several accounts enabled, whose workspace it is: "api stopped — team". */
  #withAccount(wanted: DesktopNotification | undefined, account: string | undefined): DesktopNotification | undefined {
    if (!wanted || !account || (this.#options.enabledAccounts?.() ?? 1) <= 1) return wanted;
    return { ...wanted, key: `${account}:${wanted.key}`, title: `${wanted.title} — ${account}` };
  }

  /** The notifications one engine event calls for (none, usually). */
  onEvent(event: WorkspaceEvent): DesktopNotification[] {
    switch (event.type) {
      case 'workspace-changed':
        return this.#emit(this.#withAccount(this.#changed(event.workspace, event.previous, event.cause), event.workspace.account));
      case 'idle-warning':
        return this.#emit(this.#withAccount(this.#idleWarning(event), event.account));
      case 'account':
        return this.#emit(this.#account(event));
      case 'firewall-followed':
        return this.#emit(this.#withAccount(this.#firewallFollowed(event), event.account));
      case 'workspace-removed':
        this.#forget(`${event.workspace.region}/${event.workspace.name}`);
        return [];
      default:
        return [];
    }
  }

  /** A dev server came up and is forwarded: said once per port per session, with Open. */
  portReady(ready: PortReady): DesktopNotification[] {
    const key = `port:${ready.region}/${ready.workspace}:${ready.port}`;
    if (!this.#options.choices().portReady || this.#portsAnnounced.has(key)) return [];
    this.#portsAnnounced.add(key);
    const open: NotificationTarget = { openUrl: `${ready.localAddress}/` };
    return [{ key, title: `${ready.workspace}: your app on port ${ready.port} is ready`, body: `It is forwarded to ${ready.localAddress}.`, urgency: 'low', target: open, action: { label: 'Open', target: open } }];
  }

  /** Reminders that depend on the list as a whole: a kept static IP costing money while its workspace is hibernated. */
  review(workspaces: readonly Workspace[]): DesktopNotification[] {
    if (!this.#options.choices().costReminder) return [];
    const every = this.#options.costReminderEveryMs ?? DEFAULT_COST_REMINDER_EVERY_MS;
    const due: DesktopNotification[] = [];
    for (const w of workspaces) {
      if (w.state !== 'hibernated' || !w.staticIpName) continue;
      const key = `static-ip:${w.region}/${w.staticIpName}`;
      const last = this.#shown.get(key);
      if (last !== undefined && this.#options.now() - last < every) continue;
      this.#shown.set(key, this.#options.now());
      due.push({
        key,
        title: `${w.name}'s static IP costs money while it sleeps`,
        body: `${w.name} is hibernated and keeps its address ${w.publicIp ?? w.staticIpName}, which Lightsail bills at $${UNATTACHED_STATIC_IP_USD_PER_MONTH.toFixed(2)}/month while unattached. Resume it, or release the address: "porthole hibernate ${w.name} --release-ip".`,
        urgency: 'low',
        target: { open: 'dashboard' },
      });
    }
    return due;
  }

  #changed(workspace: Workspace, previous: Workspace | undefined, reported: 'user' | 'cloud'): DesktopNotification | undefined {
    const ref = { name: workspace.name, region: workspace.region, account: workspace.account };
    const id = `${workspace.region}/${workspace.name}`;
    const choices = this.#options.choices();
    const cause = this.#userOperations.has(id) ? 'user' : reported;
    if (CHANGING_STATES.has(workspace.state)) {
      if (reported === 'user') this.#userOperations.add(id);
    } else {
      this.#userOperations.delete(id);
    }
    // Ready without a deadline: the warning was withdrawn (the user came back), so a later stop is not an idle one.
    if (workspace.state === 'ready' && !workspace.idleStopAt) this.#idleWarned.delete(id);
    const awsExpired = this.#awsSignInExpired(workspace, ref, id);
    if (awsExpired) return awsExpired;
    if (!previous || previous.state === workspace.state) return undefined;
    // What the user just did, in front of them, needs no notification; a failure always does.
    const quiet = cause === 'user' && this.#options.isWatching(ref);
    switch (workspace.state) {
      case 'error': {
        if (!choices.operationFailed) return undefined;
        // A failed launch script: its log, at the step that failed, is where the why is.
        const log: NotificationTarget | undefined = workspace.failedStep ? { open: 'logs', target: { ...ref, source: 'provision', step: workspace.failedStep.index } } : undefined;
        return {
          key: `failed:${id}:${workspace.reason ?? ''}`,
          title: `${workspace.name} failed`,
          body: workspace.reason ?? 'Lightsail reports a problem with it; the dashboard has the details.',
          urgency: 'critical',
          target: log ?? { open: 'dashboard' },
          ...(log ? { action: { label: 'Show log', target: log } } : {}),
        };
      }
      case 'ready':
        if (!ARRIVING.has(previous.state) || quiet || !choices.operationFinished) return undefined;
        return { key: `ready:${id}`, title: `${workspace.name} is ready`, body: 'Click to open it in VS Code.', urgency: 'normal', target: { open: 'workspace', ref } };
      case 'stopped': {
        const warned = this.#idleWarned.get(id);
        this.#idleWarned.delete(id);
        if (cause === 'cloud' && warned !== undefined) {
          if (!choices.idleStop) return undefined;
          return {
            key: `idle-stopped:${id}`,
            title: `${workspace.name} stopped after being idle`,
            body: `Its idle timeout ran out, so it stopped to save money. Start it again from the tray when you need it.`,
            urgency: 'normal',
            target: { open: 'dashboard' },
          };
        }
        if (quiet || !choices.operationFinished) return undefined;
        return {
          key: `stopped:${id}`,
          title: `${workspace.name} stopped`,
          body: cause === 'cloud' ? 'It was stopped outside Porthole (the Lightsail console or another computer).' : 'Lightsail still bills a stopped instance; hibernate it to stop the bill.',
          urgency: 'low',
          target: { open: 'dashboard' },
        };
      }
      case 'hibernated':
        if (quiet || !choices.operationFinished) return undefined;
        return {
          key: `hibernated:${id}`,
          title: `${workspace.name} is hibernated`,
          body: `It now costs $${workspace.cost.monthlyUsd.toFixed(2)}/month instead of $${workspace.cost.activeMonthlyUsd.toFixed(2)}. Resume it from the tray.`,
          urgency: 'low',
          target: { open: 'dashboard' },
        };
      default:
        return undefined;
    }
  }

  /** The workspace's own AWS token ran out: said once, until it signs in again, as an account's expiry is. */
  #awsSignInExpired(workspace: Workspace, ref: WorkspaceTarget, id: string): DesktopNotification | undefined {
    const signIn = workspace.aws?.signIn;
    if (signIn !== 'expired') {
      if (signIn === 'signed-in') this.#awsExpired.delete(id);
      return undefined;
    }
    if (this.#awsExpired.has(id)) return undefined;
    this.#awsExpired.add(id);
    if (!this.#options.choices().awsSignInExpired) return undefined;
    const target: NotificationTarget = { awsSignIn: ref };
    return {
      key: `aws-expired:${id}`,
      title: `${workspace.name}: AWS sign-in expired`,
      body: `The AWS CLI on ${workspace.name} is no longer signed in to IAM Identity Center. Sign in again from here; the token stays on the workspace.`,
      urgency: 'normal',
      target,
      action: { label: AWS_SIGN_IN_LABEL, target },
    };
  }

  #idleWarning(event: Extract<WorkspaceEvent, { type: 'idle-warning' }>): DesktopNotification | undefined {
    const id = `${event.region}/${event.name}`;
    this.#idleWarned.set(id, event.stopsAt);
    if (!this.#options.choices().idleWarning) return undefined;
    const minutes = Math.max(0, Math.round((Date.parse(event.stopsAt) - this.#options.now()) / 60_000));
    return {
      key: `idle-warning:${id}:${event.stopsAt}`,
      title: minutes === 0 ? `${event.name} is about to stop` : `${event.name} stops in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      body: 'It has been idle. Use it (type in VS Code or keep an SSH session open) to keep it running.',
      urgency: 'normal',
      target: { open: 'workspace', ref: { name: event.name, region: event.region, ...(event.account ? { account: event.account } : {}) } },
    };
  }

  /** Once per new address of a workspace: every connection that meets the same change shares one rewrite, and one notification. */
  #firewallFollowed(event: FirewallFollowed): DesktopNotification | undefined {
    if (!this.#options.choices().firewallFollowed) return undefined;
    const { title, body } = firewallFollowedMessage(event);
    return { key: `firewall:${event.region}/${event.name}:${event.to}`, title, body, urgency: 'low', target: { open: 'dashboard' } };
  }

  #account(event: Extract<WorkspaceEvent, { type: 'account' }>): DesktopNotification | undefined {
    if (event.health === 'ok') {
      this.#expired.delete(event.account);
      return undefined;
    }
    // Once per expiry: polling has paused, so nothing more will happen until the user signs in.
    if (this.#expired.has(event.account)) return undefined;
    this.#expired.add(event.account);
    return {
      key: `expired:${event.account}`,
      title: `Sign-in needed for ${event.account}`,
      body: `${event.message ?? 'Its AWS credentials expired.'} Porthole has paused checking its workspaces until you sign in.`,
      urgency: 'critical',
      target: { signIn: event.account },
      action: { label: 'Sign in', target: { signIn: event.account } },
    };
  }

  #forget(id: string): void {
    this.#userOperations.delete(id);
    this.#idleWarned.delete(id);
    this.#awsExpired.delete(id);
  }

  #emit(notification: DesktopNotification | undefined): DesktopNotification[] {
    if (!notification) return [];
    const now = this.#options.now();
    const last = this.#shown.get(notification.key);
    if (last !== undefined && now - last < (this.#options.quietMs ?? DEFAULT_QUIET_MS)) return [];
    this.#shown.set(notification.key, now);
    return [notification];
  }
}
