import type { OperationKind } from '../../shared/workspace.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { firewallFollowedMessage } from '../workspaces/firewall-follow.js';
import { ActivityLog } from './activity-log.js';
import { EventHub } from './event-hub.js';

/** What a log line is about: a workspace (with its region when known). */
export type ActivityAbout = { name: string; region?: string } | { workspace: string };

/** A workspace as log lines and notices name it: with its account when that is not the active one. */
export function workspaceLabel(name: string, account: string | undefined, active: string | undefined): string {
  return account && account !== active ? `${name} (${account})` : name;
}

/**
 * The service's side of events: the contract's events for every connected
 * UI, the activity log, and the engines' own events (every open account's)
 * for the app's notification policy. Engine events become contract events here.
 */
export class DashboardEvents {
  readonly hub = new EventHub();
  readonly activity = new ActivityLog();
  /** Workspaces with an operation of ours under way: their changes are that operation's, logged when it ends. */
  readonly #busy = new Set<string>();
  readonly #workspaceListeners = new Set<(event: WorkspaceEvent) => void>();
  readonly #activeAccount: () => string | undefined;

  constructor(activeAccount: () => string | undefined) {
    this.#activeAccount = activeAccount;
  }

  /** The workspace's name as the log says it: with its account when that is not the active one. */
  label(name: string, account?: string): string {
    return workspaceLabel(name, account, this.#activeAccount());
  }

  onWorkspaceEvent(listener: (event: WorkspaceEvent) => void): () => void {
    this.#workspaceListeners.add(listener);
    return () => this.#workspaceListeners.delete(listener);
  }

  log(level: 'info' | 'success' | 'error', message: string, about?: ActivityAbout, operation?: OperationKind): void {
    const where = about && 'workspace' in about ? { workspace: about.workspace } : about ? { workspace: about.name, ...(about.region ? { region: about.region } : {}) } : {};
    const entry = this.activity.add({ level, message, ...where, ...(operation ? { operation } : {}) });
    this.hub.emit('activity', entry);
  }

  /** Runs `run` with the workspace marked busy, so the changes it causes are not logged as the cloud's own. */
  async whileBusy<T>(ref: { name: string; account: string }, run: () => Promise<T>): Promise<T> {
    const key = `${ref.account}/${ref.name}`;
    this.#busy.add(key);
    try {
      return await run();
    } finally {
      this.#busy.delete(key);
    }
  }

  forward(event: WorkspaceEvent): void {
    for (const listener of this.#workspaceListeners) listener(event);
    switch (event.type) {
      case 'workspace-changed': {
        this.hub.emit('workspaceChanged', { workspace: event.workspace });
        const { previous, workspace } = event;
        // Changes the user did not ask for (an idle stop, a failure found by the poller) go in the log.
        if (event.cause === 'cloud' && previous && previous.state !== workspace.state && !this.#busy.has(`${workspace.account}/${workspace.name}`)) {
          this.log(workspace.state === 'error' ? 'error' : 'info', `${this.label(workspace.name, workspace.account)} is now ${workspace.state}${workspace.reason ? `: ${workspace.reason}` : ''}.`, workspace);
        }
        return;
      }
      case 'workspace-removed':
        this.hub.emit('workspaceRemoved', { name: event.workspace.name, region: event.workspace.region, account: event.workspace.account });
        return;
      case 'operation-progress':
        this.hub.emit('operationProgress', { name: event.workspace, region: event.region, account: event.account, progress: event.progress });
        return;
      case 'firewall-followed': {
        const { title, body } = firewallFollowedMessage(event);
        this.log('info', `${this.label(title, event.account)}. ${body}`, { name: event.name, region: event.region });
        this.hub.emit('notice', { level: 'info', title, message: body, workspace: event.name, region: event.region, ...(event.account !== this.#activeAccount() ? { account: event.account } : {}) });
        return;
      }
      case 'refresh-failed':
      case 'refreshed':
      case 'account':
        return;
    }
  }
}
