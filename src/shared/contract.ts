import type { Catalog, CreateWorkspaceRequest, FieldProblem, ImageOption } from './create-catalog.js';
import type { WorkspacePortView } from './ports.js';
import type { OperationKind, OperationProgress, Workspace, WorkspaceBackups } from './workspace.js';
import type { LogSource, LogViewLine, LogViewTarget } from './workspace-log.js';

/**
 * Everything that crosses between the UI (the Electron renderer, or the same
 * renderer in a browser under `porthole ui`) and the core. The preload, the
 * main-side handlers, the WebSocket bridge and the renderer's client are all
 * typed by these two maps: adding a call is one edit here.
 *
 * Nothing here carries a secret: passwords, keys and AWS credentials stay on
 * the core's side (see `copyPassword`).
 */

/**
 * Which workspace a call is about; the region is needed only when the name is
 * used in several. `account`: an enabled account's workspace other than the
 * active account's (the All accounts view and the tray act on any of them).
 */
export interface WorkspaceRef {
  name: string;
  region?: string;
  account?: string;
}

export interface AccountOption {
  name: string;
  kind: 'sandbox' | 'aws-profile';
  /** One line the switcher shows: "lightsail-local on this computer", a profile's region. */
  detail: string;
  active: boolean;
  /** Whether its credentials work: 'unknown' until the poller or a who-am-I has tried them. */
  health: AccountHealth;
  /** 'sso': an IAM Identity Center profile, which the dashboard's "Sign in" renews. */
  signInKind?: 'sso' | 'none';
  /** Who the credentials are, as last asked of STS; never the credentials themselves. */
  identity?: AccountIdentityView;
}

export type AccountHealth = 'ok' | 'expired' | 'unknown';

/** `sts:GetCallerIdentity` as the UI shows it: the account, the ARN (which names the role) and, for temporary credentials, when they end. */
export interface AccountIdentityView {
  accountId: string;
  arn: string;
  /** ISO 8601 time. */
  expiresAt?: string;
}

/** What the person does in the browser to approve a sign-in. The code is not a secret: it is what they compare on the portal. */
/** What a workspace's AWS CLI asks the person to approve: the page (its code filled in) and the code to check there. */
export interface AwsSignInPromptView {
  workspace: string;
  profile: string;
  verificationUri: string;
  userCode: string;
}

export interface SignInPrompt {
  verificationUri: string;
  userCode: string;
  /** When the code stops working (ISO 8601). */
  expiresAt: string;
}

export interface NotificationChoices {
  idleWarning: boolean;
  idleStop: boolean;
  operationFinished: boolean;
  operationFailed: boolean;
  costReminder: boolean;
  /** A workspace's dev server came up and was forwarded here. */
  portReady: boolean;
  /** A workspace's firewall was moved to this computer's new public IP so a connection could get through. */
  firewallFollowed: boolean;
  /** The AWS CLI on a workspace is no longer signed in to IAM Identity Center. */
  awsSignInExpired: boolean;
}

/** The settings a user edits from the UI; workspace records and internals are not among them. */
export interface UiSettings {
  activeAccount: string;
  defaultRegion: string;
  defaultBundleId: string;
  defaultBlueprintId: string;
  notifications: NotificationChoices;
  launchAtLogin: boolean;
}

export type ActivityLevel = 'info' | 'success' | 'error';

/** One line of the activity log: what happened, to which workspace, when. */
export interface ActivityEntry {
  id: number;
  /** ISO 8601 time. */
  at: string;
  level: ActivityLevel;
  workspace?: string;
  region?: string;
  operation?: OperationKind;
  message: string;
}

/** The shape every failed call takes over any transport; the UI shows `message` and `fix`. */
export interface ContractError {
  kind: string;
  message: string;
  fix?: string;
  requestId?: string;
  /** Set when the problem is in one field of a form. */
  field?: string;
}

/** One account's part of a look across every enabled account: how many it has, or why it could not be listed. */
export type AccountListing = { name: string; listed: true; count: number } | { name: string; listed: false; message: string; fix?: string };

export interface EveryAccountListing {
  workspaces: Workspace[];
  accounts: AccountListing[];
}

/** Where "Install command line tool" links `porthole`: the user's ~/.local/bin, or /usr/local/bin for every user (asked first). */
export type CommandLineToolFolder = 'user' | 'system';

export interface CommandLineToolFolderState {
  folder: CommandLineToolFolder;
  dir: string;
  /** The link's full path: ~/.local/bin/porthole. */
  path: string;
  /**
   * none: nothing there; current: Porthole's link to this app; stale: Porthole's,
   * to a copy that moved or is gone (installing replaces it); foreign: another
   * `porthole`, which Porthole never touches.
   */
  occupant: 'none' | 'current' | 'stale' | 'foreign';
  /** Where the link there points. */
  target?: string;
  /** Whether the folder is on the PATH Porthole was started with. */
  onPath: boolean;
  /** The question to ask before linking here: set for the folder every user shares. */
  confirm?: string;
}

export interface CommandLineToolState {
  /** What a link points at: the launcher inside the app (or bin/porthole.js in a checkout). */
  launcher: string;
  folders: CommandLineToolFolderState[];
}

/** What installing did, in `message`'s words: which path, and whether its folder is on PATH or how to put it there. */
export interface CommandLineToolResult {
  folder: CommandLineToolFolder;
  path: string;
  onPath: boolean;
  /** false: it was already installed, nothing changed. */
  changed: boolean;
  message: string;
}

export interface CommandLineToolRemoval {
  removed: string[];
  message: string;
}

export interface OperationResult {
  workspace: Workspace;
}

/** What the log viewer reads: which of the workspace's logs, and how far back; it keeps following them until closed. */
export interface LogStreamRequest extends WorkspaceRef {
  /** The page's own name for the stream (letters, digits, - and _), which its events carry: the page listens before the first line. */
  stream: string;
  /** Default: every log. */
  sources?: LogSource[];
  /** Only lines written in the last `10m`, `2h`, `1d`…; absent: the last `lines` of each log. */
  since?: string;
  /** The last this many lines of each log, or 'all' (default 1,000); ignored with `since`. */
  lines?: number | 'all';
}

/**
 * Where "Export diagnostics" put the archive: a file the app saved where the
 * user chose, a one-time address the browser downloads it from (`porthole
 * ui`), or nothing when the user cancelled the save dialog.
 */
export type DiagnosticsExport =
  | { saved: 'file'; path: string; files: string[] }
  | { saved: 'download'; url: string; fileName: string; files: string[] }
  | { saved: 'cancelled' };

/** The most `copyText` takes: about 20,000 long log lines. */
export const MAX_COPY_CHARS = 2_000_000;

/** Every call the UI can make, with what it sends and what it gets back. */
export interface PortholeCalls {
  /** The workspaces of the active account, as last seen. */
  listWorkspaces: { request: void; response: Workspace[] };
  /** Asks the cloud again now, instead of waiting for the poller. */
  refreshWorkspaces: { request: void; response: Workspace[] };
  /** Resolves once the create finishes; progress arrives meanwhile as events. */
  createWorkspace: { request: CreateWorkspaceRequest; response: OperationResult };
  startWorkspace: { request: WorkspaceRef; response: OperationResult };
  stopWorkspace: { request: WorkspaceRef; response: OperationResult };
  rebootWorkspace: { request: WorkspaceRef; response: OperationResult };
  /** `releaseIp`: give the static IP back too (cheaper, but the address changes on resume). */
  hibernateWorkspace: { request: WorkspaceRef & { releaseIp?: boolean }; response: OperationResult };
  resumeWorkspace: { request: WorkspaceRef; response: OperationResult };
  deleteWorkspace: { request: WorkspaceRef & { keepSnapshots?: boolean }; response: OperationResult };
  /** Snapshots a ready workspace as a baked image that new workspaces can start from. */
  bakeWorkspace: { request: WorkspaceRef & { image: string }; response: { image: ImageOption } };
  /** The workspace's daily backups, newest first, with what they cost. */
  getBackups: { request: WorkspaceRef; response: WorkspaceBackups };
  /** Turns daily backups on (at a UTC hour, `HH:00`) or off; the backups already taken stay. */
  setBackups: { request: WorkspaceRef & { enabled: boolean; timeOfDay?: string }; response: WorkspaceBackups };
  /**
   * Makes a new workspace `as` from the backup of day `date`; without `as`, puts the workspace itself back to that day on a
   * fresh instance (same name, static IP and password; the old instance and its backups are deleted once the new one is ready).
   * Resolves once it is done, progress arriving as events.
   */
  restoreBackup: { request: WorkspaceRef & { date: string; as?: string }; response: OperationResult };
  /** The first problem with a name for a new workspace in that region, or null when it is fine. */
  validateName: { request: { name: string; region?: string }; response: FieldProblem | null };
  /** Regions, bundles with their monthly price, blueprints, layers and images for the region (default: the account's). */
  getCatalog: { request: { region?: string }; response: Catalog };
  getSettings: { request: void; response: UiSettings };
  /** Changes only what is given; returns the settings as saved. */
  updateSettings: { request: Partial<Omit<UiSettings, 'activeAccount'>>; response: UiSettings };
  listAccounts: { request: void; response: AccountOption[] };
  /** Every enabled account's workspaces at once, as each account's poller last saw them. */
  listEveryAccount: { request: void; response: EveryAccountListing };
  /** Makes the Sandbox or an AWS profile the active account; the workspace list follows. */
  useAccount: { request: { name: string }; response: AccountOption[] };
  /** Copies the workspace's password to the clipboard on the core's side; the password never returns. */
  copyPassword: { request: WorkspaceRef; response: { copied: true } };
  /** Opens the workspace in Porthole's own editor window (the app), or in the browser where there is none. */
  openWorkspace: { request: WorkspaceRef; response: { opened: 'window' | 'browser' } };
  openInBrowser: { request: WorkspaceRef; response: { opened: 'browser' } };
  /** The activity log, newest last; `since`: only entries with a greater id. */
  listActivity: { request: { since?: number }; response: ActivityEntry[] };
  /** Who an account (the active one by default) is to AWS, asked of STS now. */
  whoAmI: { request: { account?: string }; response: AccountIdentityView };
  /**
   * Starts an IAM Identity Center device sign-in for an SSO profile and opens its
   * link in the browser; resolves with the code to approve, and `signInFinished` follows.
   */
  signIn: { request: { account: string }; response: SignInPrompt };
  /** Gives up a sign-in under way; `signInFinished` follows with ok false. */
  cancelSignIn: { request: { account: string }; response: { cancelled: boolean } };
  /**
   * "Sign in to AWS on this workspace": the workspace's own AWS CLI starts an
   * IAM Identity Center device sign-in (one of its profiles, the first by
   * default), the approval page opens in the browser here; resolves with the
   * code to check there, and `awsSignInFinished` follows. The token stays on the workspace.
   */
  signInToAws: { request: WorkspaceRef & { profile?: string }; response: AwsSignInPromptView };
  /** Where `porthole` is linked on PATH, if anywhere, and what each folder holds. */
  getCommandLineTool: { request: void; response: CommandLineToolState };
  /** Links `porthole` into the folder; the system folder only after the user answered its `confirm` question. */
  installCommandLineTool: { request: { folder: CommandLineToolFolder }; response: CommandLineToolResult };
  /** Removes Porthole's links from both folders, never another `porthole`. */
  uninstallCommandLineTool: { request: void; response: CommandLineToolRemoval };
  /**
   * Opens the workspace in desktop VS Code over Remote-SSH, on the SSH host
   * `porthole ssh-config` defines; writes that entry (and the Include line in
   * ~/.ssh/config) first when the workspace has none.
   */
  openInVsCode: { request: WorkspaceRef; response: { host: string; sshConfigWritten: boolean } };
  /** A workspace's Ports panel: the ports it listens on and where each is forwarded here. */
  listPorts: { request: WorkspaceRef; response: WorkspacePortView[] };
  /** Forwards a workspace port (to `localPort` when given, else the same or a free one); it stays forwarded until stopped. */
  forwardPort: { request: WorkspaceRef & { port: number; localPort?: number }; response: WorkspacePortView[] };
  /** Stops forwarding a port; it stays off until forwarded again. */
  stopForwarding: { request: WorkspaceRef & { port: number }; response: WorkspacePortView[] };
  /** Opens a forwarded port's local address in the system browser. */
  openPort: { request: WorkspaceRef & { port: number }; response: { opened: string } };
  /** Copies a forwarded port's local address to the clipboard. */
  copyPortAddress: { request: WorkspaceRef & { port: number }; response: { copied: string } };
  /**
   * Starts reading the workspace's logs over SSH for this page alone: their
   * lines arrive as `logLines` events naming the stream, until
   * `closeLogStream`, the page going, or `logStreamEnded`.
   */
  openLogStream: { request: LogStreamRequest; response: { stream: string } };
  closeLogStream: { request: { stream: string }; response: { closed: boolean } };
  /** Puts text the user chose (log lines) on the desktop clipboard; `copied`: how many characters. */
  copyText: { request: { text: string }; response: { copied: number } };
  /** The workspace's record, recent events, box logs and versions in one .tar.gz, secrets removed. */
  exportDiagnostics: { request: WorkspaceRef; response: DiagnosticsExport };
}

export type CallName = keyof PortholeCalls;
export type CallRequest<C extends CallName> = PortholeCalls[C]['request'];
export type CallResponse<C extends CallName> = PortholeCalls[C]['response'];

/** A short message the UI shows for a while: a finished operation, a failure, a lost connection. */
export interface Notice {
  level: ActivityLevel;
  title: string;
  message: string;
  workspace?: string;
  region?: string;
  /** The workspace's account, when it is not the active one. */
  account?: string;
  /** What the notice offers to do about it: sign in to an IAM Identity Center account with `signIn`. */
  action?: { kind: 'signIn'; account: string };
}

/** Everything the core tells the UI without being asked. */
export interface PortholeEvents {
  /** The whole list: sent on connect, after a refresh and after an account switch. */
  workspacesReset: { account: string; workspaces: Workspace[] };
  /** One workspace of any enabled account changed or appeared; `workspace.account` says whose. */
  workspaceChanged: { workspace: Workspace };
  workspaceRemoved: { name: string; region: string; account: string };
  operationProgress: { name: string; region: string; account: string; progress: OperationProgress };
  activity: ActivityEntry;
  notice: Notice;
  settingsChanged: UiSettings;
  /** The active account's credentials stopped working (polling pauses) or work again. */
  accountHealth: { account: string; health: AccountHealth; message?: string; fix?: string };
  /** A sign-in begun with `signIn` ended: approved, refused, expired or cancelled. */
  signInFinished: { account: string; ok: boolean; message?: string };
  /** A workspace's AWS sign-in begun with `signInToAws` ended: its CLI holds a token, or why not. */
  awsSignInFinished: { name: string; region: string; account: string; profile: string; ok: boolean; message?: string };
  /** Something outside the page (the tray's "New workspace…" or "Show logs") asks the dashboard to show a view. */
  showView: { view: DashboardView; logs?: LogViewTarget };
  /** A workspace's ports or forwards changed; `problem` says why forwarding does not work right now. */
  portsChanged: { name: string; region: string; ports: WorkspacePortView[]; problem?: string };
  /** Lines of a stream this page opened with `openLogStream`, oldest first, each batch from one log. */
  logLines: { stream: string; lines: LogViewLine[] };
  /** The stream stopped by itself: the box went away, or ssh failed (`error` says why). */
  logStreamEnded: { stream: string; error?: ContractError };
}

/**
 * Views the dashboard opens on request; `#new-workspace` in its address
 * opens the wizard the same way, `#logs?name=demo&source=provision&step=3`
 * the log viewer.
 */
export type DashboardView = 'createWizard' | 'logs';

export const DASHBOARD_VIEW_HASHES: Readonly<Record<DashboardView, string>> = { createWizard: 'new-workspace', logs: 'logs' };

export type EventName = keyof PortholeEvents;
export type EventPayload<E extends EventName> = PortholeEvents[E];

/** What the renderer holds: one promise-returning method per call, and a subscription per event. */
export type PortholeApi = {
  [C in CallName]: CallRequest<C> extends void ? () => Promise<CallResponse<C>> : (request: CallRequest<C>) => Promise<CallResponse<C>>;
} & {
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Handlers on the core's side: the same calls, answered. */
export type PortholeHandlers = {
  [C in CallName]: (request: CallRequest<C>) => Promise<CallResponse<C>>;
};

/** The list of call names, for a bridge that must check what it forwards. */
export const CALL_NAMES = [
  'listWorkspaces',
  'refreshWorkspaces',
  'createWorkspace',
  'startWorkspace',
  'stopWorkspace',
  'rebootWorkspace',
  'hibernateWorkspace',
  'resumeWorkspace',
  'deleteWorkspace',
  'bakeWorkspace',
  'getBackups',
  'setBackups',
  'restoreBackup',
  'validateName',
  'getCatalog',
  'getSettings',
  'updateSettings',
  'listAccounts',
  'listEveryAccount',
  'useAccount',
  'copyPassword',
  'openWorkspace',
  'openInBrowser',
  'listActivity',
  'whoAmI',
  'signIn',
  'cancelSignIn',
  'signInToAws',
  'getCommandLineTool',
  'installCommandLineTool',
  'uninstallCommandLineTool',
  'openInVsCode',
  'listPorts',
  'forwardPort',
  'stopForwarding',
  'openPort',
  'copyPortAddress',
  'openLogStream',
  'closeLogStream',
  'copyText',
  'exportDiagnostics',
] as const satisfies readonly CallName[];

export const EVENT_NAMES = [
  'workspacesReset',
  'workspaceChanged',
  'workspaceRemoved',
  'operationProgress',
  'activity',
  'notice',
  'settingsChanged',
  'accountHealth',
  'signInFinished',
  'awsSignInFinished',
  'showView',
  'portsChanged',
  'logLines',
  'logStreamEnded',
] as const satisfies readonly EventName[];

/** Wire messages, the same over Electron IPC and the WebSocket. */
export type CallMessage = { [C in CallName]: { type: 'call'; id: number; call: C; request: CallRequest<C> } }[CallName];
export type ReplyMessage =
  | { type: 'reply'; id: number; ok: true; response: unknown }
  | { type: 'reply'; id: number; ok: false; error: ContractError };
export type EventMessage = { [E in EventName]: { type: 'event'; event: E; payload: EventPayload<E> } }[EventName];

// Fails to compile when a call or event is declared above but missing from its list.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const CALL_NAMES_COMPLETE: Exactly<CallName, (typeof CALL_NAMES)[number]> = true;
export const EVENT_NAMES_COMPLETE: Exactly<EventName, (typeof EVENT_NAMES)[number]> = true;
