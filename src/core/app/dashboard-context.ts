import type { Workspace } from '../../shared/workspace.js';
import type { AwsProfile } from '../credentials/aws-profiles.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { AccountSession, SandboxLease } from './account-session.js';
import type { ShippedCommandLine } from './command-line-calls.js';
import type { DashboardEvents } from './dashboard-events.js';

/** The outside effects the service needs, given by whoever runs it: the Electron app or `porthole ui`. */
export interface DashboardServiceOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Finds or starts the Sandbox account's lightsail-local. */
  connectSandbox: () => Promise<SandboxLease>;
  /** Puts text on the desktop clipboard; this is how a password leaves the core. */
  copyToClipboard: (text: string) => Promise<void>;
  /** Opens an address in the system browser. */
  openExternal: (url: string) => Promise<void>;
  /** Opens Porthole's own editor window on the workspace; absent where there is none (a browser tab). */
  openEditorWindow?: (workspace: Workspace) => Promise<void>;
  /** The AWS profiles with their kind; by default those of the shared AWS config files. */
  listProfiles?: () => Promise<AwsProfile[]>;
  /** Where sign-in, STS and the shared AWS files are looked up (the endpoint overrides and paths the AWS CLI honours); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines while carrying on operations an earlier run left unfinished. */
  onRecovery?: (line: string) => void;
  /** The `porthole` command this app ships, for "Install command line tool" and the SSH entries VS Code uses. */
  commandLine?: ShippedCommandLine;
  /** Gives a vscode:// link to the desktop; by default openExternal. */
  openVsCodeLink?: (link: string) => Promise<void>;
  /** Asks where to save a file (the app's save dialog), suggesting a name; undefined when the user cancelled. */
  chooseSavePath?: (suggestedName: string) => Promise<string | undefined>;
  /** Where there is no save dialog (a browser tab): offers a written file as a one-time download, at the address returned. */
  offerDownload?: (file: string, fileName: string) => string;
}

/** What the service's parts share: its options, its events and log, and the opened accounts. */
export interface DashboardContext {
  readonly options: DashboardServiceOptions;
  readonly events: DashboardEvents;
  /** An enabled account, opened (default: the active one); a clear error for an account that is not enabled or would not open. */
  session(account?: string): AccountSession;
  /** The active account when one is open. */
  activeSession(): AccountSession | undefined;
  /** The account's session when it is open. */
  openSession(account: string): AccountSession | undefined;
  /** Resolves once every enabled account has been opened or has failed to. */
  accountsOpen(): Promise<void>;
}
