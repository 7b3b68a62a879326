import type { WorkspacePortView } from '../../shared/ports.js';
import type { AccountHealth } from '../../shared/contract.js';
import type { LogViewTarget } from '../../shared/workspace-log.js';
import { AWS_SIGN_IN_LABEL, CHANGING_STATES, type Workspace, type WorkspaceState } from '../../shared/workspace.js';

/**
 * The tray menu as plain data, a pure function of what the user has: no
 * Electron here. The adapter in src/main turns items into MenuItems and each
 * item's action into a contract call, so every rule about what may be done
 * when lives in this file and its spec.
 */

/** Where a workspace's Ports lines are in TrayInput's `ports`: its account's forwards are its account's own. */
export function portsKey(workspace: Pick<Workspace, 'account' | 'region' | 'name'>): string {
  return `${workspace.account}/${workspace.region}/${workspace.name}`;
}

/** The tray picture: nothing running, something running, something changing, something failed. */
export type TrayState = 'idle' | 'running' | 'changing' | 'failed';

export type WorkspaceAction = 'open' | 'openInBrowser' | 'start' | 'stop' | 'hibernate' | 'resume' | 'copyPassword' | 'openInVsCode' | 'signInToAws' | 'delete';

export type TrayAction =
  | { kind: 'workspace'; action: WorkspaceAction; ref: { name: string; region: string; account?: string } }
  | { kind: 'port'; action: 'open' | 'forward' | 'stopForwarding'; ref: { name: string; region: string; account?: string }; port: number }
  | { kind: 'showLogs'; target: LogViewTarget }
  | { kind: 'newWorkspace' }
  | { kind: 'dashboard' }
  | { kind: 'useAccount'; account: string }
  | { kind: 'signIn'; account: string }
  | { kind: 'installCommandLineTool' }
  | { kind: 'uninstallCommandLineTool' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'item'; id: string; label: string; enabled: boolean; action?: TrayAction; checked?: boolean; toolTip?: string }
  | { type: 'submenu'; id: string; label: string; enabled: boolean; items: TrayMenuItem[] }
  | { type: 'separator' };

export interface TrayAccount {
  name: string;
  kind: 'sandbox' | 'aws-profile';
  active: boolean;
  health: AccountHealth;
  /** 'sso': a sign-in renews its credentials, so the menu offers one when they expired. */
  signInKind?: 'sso' | 'none';
}

export interface TrayInput {
  /** Every enabled account's workspaces. */
  workspaces: readonly Workspace[];
  accounts: readonly TrayAccount[];
  /** The enabled accounts, the active one among them: with more than one, the lines are grouped under each account's name. */
  enabledAccounts?: readonly string[];
  /** Ready workspaces' Ports lines, in any enabled account, by `account/region/name` (portsKey). */
  ports?: ReadonlyMap<string, readonly WorkspacePortView[]>;
  /** More workspaces than this: the busiest are listed, the rest are in the dashboard. */
  maxWorkspaceLines?: number;
  /** Where `porthole` is linked on PATH by "Install command line tool"; absent: nowhere, or not known yet. */
  commandLineToolPath?: string;
}

export interface TrayMenu {
  state: TrayState;
  tooltip: string;
  items: TrayMenuItem[];
}

export const DEFAULT_MAX_WORKSPACE_LINES = 25;

const RUNNING: ReadonlySet<WorkspaceState> = new Set(['ready', 'provisioning']);

/** Failed beats changing beats running beats idle: the picture shows what most needs the user. */
export function trayState(workspaces: readonly Workspace[]): TrayState {
  if (workspaces.some((w) => w.state === 'error')) return 'failed';
  if (workspaces.some((w) => CHANGING_STATES.has(w.state) && w.state !== 'provisioning')) return 'changing';
  if (workspaces.some((w) => RUNNING.has(w.state))) return 'running';
  return 'idle';
}

/** Which actions a workspace in `state` allows; everything else is shown disabled. */
export function allowedActions(workspace: Workspace): ReadonlySet<WorkspaceAction> {
  const allowed = new Set<WorkspaceAction>();
  const { state } = workspace;
  if (state === 'ready') allowed.add('open').add('openInBrowser').add('openInVsCode').add('stop').add('hibernate');
  if (state === 'provisioning') allowed.add('openInVsCode').add('stop');
  if (state === 'stopped') allowed.add('start').add('hibernate');
  if (state === 'hibernated') allowed.add('resume');
  if (state === 'error') allowed.add('stop');
  if (workspace.hasPassword) allowed.add('copyPassword');
  if (state === 'ready' && workspace.aws) allowed.add('signInToAws');
  // Delete is always offered (it asks first), except while a delete already runs.
  if (state !== 'deleting') allowed.add('delete');
  return allowed;
}

const STATE_WORDS: Readonly<Record<WorkspaceState, string>> = {
  creating: 'creating',
  provisioning: 'setting up',
  ready: 'running',
  starting: 'starting',
  stopping: 'stopping',
  stopped: 'stopped',
  hibernating: 'hibernating',
  hibernated: 'hibernated',
  resuming: 'resuming',
  restoring: 'restoring',
  deleting: 'deleting',
  error: 'failed',
};

export function buildTrayMenu(input: TrayInput): TrayMenu {
  const max = input.maxWorkspaceLines ?? DEFAULT_MAX_WORKSPACE_LINES;
  const workspaces = [...input.workspaces].sort(byRegionThenName);
  const shown = workspaces.length > max ? [...workspaces].sort(byUrgency).slice(0, max).sort(byRegionThenName) : workspaces;
  const items: TrayMenuItem[] = [];

  const enabled = input.enabledAccounts ?? [];
  if (enabled.length > 1) {
    // The active account first, then the others as the settings list them.
    const active = input.accounts.find((a) => a.active)?.name;
    const order = [...enabled].sort((a, b) => Number(b === active) - Number(a === active));
    for (const account of order) {
      const own = shown.filter((w) => w.account === account);
      const kind = input.accounts.find((a) => a.name === account)?.kind;
      items.push({ type: 'item', id: `account-group:${account}`, label: escapeMnemonic(kind === 'sandbox' ? 'Sandbox' : account), enabled: false });
      if (own.length === 0) items.push({ type: 'item', id: `no-workspaces:${account}`, label: 'No workspaces', enabled: false });
      items.push(...workspaceLines(own, true, input.ports));
    }
  } else {
    if (workspaces.length === 0) items.push({ type: 'item', id: 'no-workspaces', label: 'No workspaces yet', enabled: false });
    items.push(...workspaceLines(shown, false, input.ports));
  }
  if (shown.length < workspaces.length) {
    items.push({ type: 'item', id: 'all-workspaces', label: `All ${workspaces.length} workspaces…`, enabled: true, action: { kind: 'dashboard' } });
  }
  items.push(
    { type: 'separator' },
    { type: 'item', id: 'new-workspace', label: 'New workspace…', enabled: !activeNeedsSignIn(input.accounts), action: { kind: 'newWorkspace' } },
    { type: 'item', id: 'dashboard', label: 'Dashboard', enabled: true, action: { kind: 'dashboard' } },
    accountSubmenu(input.accounts),
    helpSubmenu(input.commandLineToolPath),
    { type: 'separator' },
    { type: 'item', id: 'quit', label: 'Quit Porthole', enabled: true, action: { kind: 'quit' } },
  );
  return { state: trayState(workspaces), tooltip: tooltip(workspaces, input.accounts), items };
}

/** One account's lines (or the only account's), under region headings when they are in more than one region. */
function workspaceLines(workspaces: readonly Workspace[], grouped: boolean, ports: TrayInput['ports']): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  const regions = new Set(workspaces.map((w) => w.region));
  let region: string | undefined;
  for (const workspace of workspaces) {
    if (regions.size > 1 && workspace.region !== region) {
      region = workspace.region;
      items.push({ type: 'item', id: grouped ? `region:${workspace.account}/${region}` : `region:${region}`, label: region, enabled: false });
    }
    items.push(workspaceSubmenu(workspace, grouped, ports?.get(portsKey(workspace)) ?? []));
  }
  return items;
}

function workspaceSubmenu(workspace: Workspace, grouped: boolean, ports: readonly WorkspacePortView[]): TrayMenuItem {
  const allowed = allowedActions(workspace);
  const ref = { name: workspace.name, region: workspace.region, account: workspace.account };
  const id = (action: string) => `workspace:${grouped ? `${workspace.account}/` : ''}${workspace.region}/${workspace.name}:${action}`;
  const item = (action: WorkspaceAction, label: string, toolTip?: string): TrayMenuItem => ({
    type: 'item',
    id: id(action),
    label,
    enabled: allowed.has(action),
    action: { kind: 'workspace', action, ref },
    ...(toolTip && !allowed.has(action) ? { toolTip } : {}),
  });
  const running = workspace.state === 'ready' || workspace.state === 'provisioning' || workspace.state === 'error';
  // The box answers SSH while provisioning and after a failed launch too, when its log matters most.
  const logs: TrayMenuItem = {
    type: 'item',
    id: id('logs'),
    label: 'Show logs',
    enabled: running,
    action: { kind: 'showLogs', target: { ...ref, ...(workspace.failedStep ? { source: 'provision', step: workspace.failedStep.index } : {}) } },
  };
  const hibernated = workspace.state === 'hibernated';
  return {
    type: 'submenu',
    id: id('menu'),
    label: escapeMnemonic(workspaceLine(workspace)),
    enabled: true,
    items: [
      item('open', 'Open'),
      item('openInBrowser', 'Open in browser'),
      item('openInVsCode', 'Open in VS Code (Remote-SSH)'),
      ...(workspace.state === 'ready' && ports.length > 0 ? [portsSubmenu(ref, ports, id)] : []),
      logs,
      ...(workspace.aws ? [item('signInToAws', workspace.aws.signIn === 'expired' ? `${AWS_SIGN_IN_LABEL} — its sign-in expired` : AWS_SIGN_IN_LABEL, 'Its AWS CLI signs in while it is running.')] : []),
      { type: 'separator' },
      running ? item('stop', 'Stop') : item('start', 'Start'),
      hibernated ? item('resume', 'Resume') : item('hibernate', 'Hibernate'),
      { type: 'separator' },
      // Electron shows tooltips on macOS only: the label itself says why it is off.
      item(
        'copyPassword',
        workspace.hasPassword ? 'Copy password' : 'Copy password — none on this computer',
        `This computer has no password for it: reset it with "porthole password ${workspace.name} --reset".`,
      ),
      { type: 'separator' },
      item('delete', 'Delete…'),
    ],
  };
}

/** A line per port: a forwarded one opens its local address and says why it is forwarded, another one is forwarded on click; then a way to stop each forward. */
function portsSubmenu(ref: { name: string; region: string }, ports: readonly WorkspacePortView[], id: (action: string) => string): TrayMenuItem {
  const lines: TrayMenuItem[] = ports.map((p) => {
    const what = `${p.port}${p.process ? ` ${p.process}` : ''}`;
    return p.localAddress
      ? { type: 'item', id: id(`port:${p.port}:open`), label: escapeMnemonic(`${what} → ${p.localAddress.replace('http://', '')}${p.origin ? ` (${p.origin})` : ''}`), enabled: true, action: { kind: 'port', action: 'open', ref, port: p.port } }
      : { type: 'item', id: id(`port:${p.port}:forward`), label: escapeMnemonic(`${what} — forward`), enabled: true, action: { kind: 'port', action: 'forward', ref, port: p.port } };
  });
  const forwarded = ports.filter((p) => p.localAddress);
  const stops: TrayMenuItem[] = forwarded.map((p) => ({ type: 'item', id: id(`port:${p.port}:stop`), label: `Stop forwarding ${p.port}`, enabled: true, action: { kind: 'port', action: 'stopForwarding', ref, port: p.port } }));
  return { type: 'submenu', id: id('ports'), label: `Ports (${forwarded.length} forwarded)`, enabled: true, items: stops.length > 0 ? [...lines, { type: 'separator' }, ...stops] : lines };
}

/** "api — running — $12/mo", "api — running, idle stop at 14:35 — $12/mo", "api — starting 2/5", "api — failed: <reason>". */
export function workspaceLine(workspace: Workspace): string {
  const progress = workspace.operation ?? workspace.provisioning;
  const state = STATE_WORDS[workspace.state];
  if (workspace.state === 'error') return `${workspace.name} — failed${workspace.reason ? `: ${shorten(workspace.reason, 60)}` : ''}`;
  if (progress && CHANGING_STATES.has(workspace.state)) return `${workspace.name} — ${state} ${progress.index}/${progress.total}`;
  const idleStop = workspace.state === 'ready' && workspace.idleStopAt ? `, idle stop at ${clockTime(workspace.idleStopAt)}` : '';
  return `${workspace.name} — ${state}${idleStop} — ${monthly(workspace.cost.monthlyUsd)}`;
}

/** A clock time, not "in N minutes": the menu is rebuilt on changes, not every minute, so a countdown would go stale. */
function clockTime(iso: string): string {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

function accountSubmenu(accounts: readonly TrayAccount[]): TrayMenuItem {
  const items: TrayMenuItem[] = [];
  for (const account of accounts) {
    const expired = account.health === 'expired';
    const label = account.kind === 'sandbox' ? 'Sandbox (on this computer)' : account.name;
    items.push({
      type: 'item',
      id: `account:${account.name}`,
      label: escapeMnemonic(expired ? `${label} — sign-in needed` : label),
      enabled: true,
      checked: account.active,
      action: { kind: 'useAccount', account: account.name },
    });
    if (expired && account.signInKind === 'sso') {
      items.push({ type: 'item', id: `sign-in:${account.name}`, label: escapeMnemonic(`Sign in to ${account.name}…`), enabled: true, action: { kind: 'signIn', account: account.name } });
    }
  }
  const active = accounts.find((a) => a.active);
  const mark = active?.health === 'expired' ? ' (sign-in needed)' : '';
  return { type: 'submenu', id: 'accounts', label: escapeMnemonic(`Account: ${active ? displayName(active) : 'none'}${mark}`), enabled: accounts.length > 0, items };
}

/** As VS Code has for `code`: the `porthole` command on PATH, linked to the one inside the app, and taken away again. */
function helpSubmenu(commandLineToolPath: string | undefined): TrayMenuItem {
  return {
    type: 'submenu',
    id: 'help',
    label: 'Help',
    enabled: true,
    items: [
      commandLineToolPath
        ? { type: 'item', id: 'command-line-tool', label: escapeMnemonic(`Command line tool: ${commandLineToolPath}`), enabled: false }
        : { type: 'item', id: 'command-line-tool', label: 'Command line tool: not installed', enabled: false },
      { type: 'item', id: 'install-command-line-tool', label: 'Install command line tool…', enabled: true, action: { kind: 'installCommandLineTool' } },
      { type: 'item', id: 'uninstall-command-line-tool', label: 'Uninstall command line tool', enabled: commandLineToolPath !== undefined, action: { kind: 'uninstallCommandLineTool' } },
    ],
  };
}

function tooltip(workspaces: readonly Workspace[], accounts: readonly TrayAccount[]): string {
  const counts = new Map<string, number>();
  for (const w of workspaces) {
    if (w.state === 'stopped' || w.state === 'hibernated') continue;
    const word = STATE_WORDS[w.state];
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const parts = [...counts].map(([word, n]) => `${n} ${word}`);
  const expired = accounts.filter((a) => a.health === 'expired').map((a) => a.name);
  if (expired.length > 0) parts.push(`sign-in needed: ${expired.join(', ')}`);
  return `Porthole — ${parts.length > 0 ? parts.join(', ') : workspaces.length === 0 ? 'no workspaces' : 'nothing running'}`;
}

function activeNeedsSignIn(accounts: readonly TrayAccount[]): boolean {
  return accounts.some((a) => a.active && a.health === 'expired');
}

function displayName(account: TrayAccount): string {
  return account.kind === 'sandbox' ? 'Sandbox' : account.name;
}

function byRegionThenName(a: Workspace, b: Workspace): number {
  return compare(a.region, b.region) || compare(a.name, b.name);
}

/** Names and regions are lowercase ASCII (Lightsail's rules): a plain comparison sorts them, without the cost of a collator. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Failed, then changing, then running, then the rest: what the tray lists when not everything fits. */
function byUrgency(a: Workspace, b: Workspace): number {
  return urgency(a) - urgency(b) || byRegionThenName(a, b);
}

// At module level, not inside the comparator: a closure made per comparison costs more than the sort at 1,000 workspaces.
function urgency(workspace: Workspace): number {
  return workspace.state === 'error' ? 0 : CHANGING_STATES.has(workspace.state) ? 1 : workspace.state === 'ready' ? 2 : 3;
}

function monthly(usdAmount: number): string {
  return `$${usdAmount < 10 ? usdAmount.toFixed(2) : Math.round(usdAmount)}/mo`;
}

function shorten(text: string, max: number): string {
  const line = text.split('\n')[0]!;
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Menus read a single & as a keyboard mnemonic; names and reasons must show theirs. */
export function escapeMnemonic(label: string): string {
  return label.replaceAll('&', '&&');
}
