import type { AccountOption, PortholeHandlers, UiSettings, WorkspaceRef } from '../../shared/contract.js';
import type { TunnelEventListener } from '../access/tunnel-events.js';
import type { WorkspaceSession } from '../access/workspace-access.js';
import { isPortholeError, PortholeError } from '../errors.js';
import { activeAccount } from '../workspaces/account-engine.js';
import { listEveryAccount } from '../workspaces/every-account.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { validateRegion } from '../workspaces/workspace-name.js';
import { AccountDirectory } from './account-directory.js';
import { AccountSession } from './account-session.js';
import { commandLineCalls } from './command-line-calls.js';
import { FieldError, toContractError } from './contract-error.js';
import type { DashboardContext, DashboardServiceOptions } from './dashboard-context.js';
import { DashboardEvents } from './dashboard-events.js';
import { DashboardSignIn } from './dashboard-sign-in.js';
import { fieldCheck, workspaceHandlers } from './workspace-actions.js';

export type { DashboardServiceOptions } from './dashboard-context.js';
export type { SandboxLease } from './account-session.js';

/**
 * Answers every call of the contract from the active account's engine, and
 * turns the engine's event stream into the contract's events. The Electron
 * main process and `porthole ui` both serve this one object, so the app and
 * the browser dashboard run the same code. Its parts: the account listing
 * (account-directory), sign-in (dashboard-sign-in), workspace actions
 * (workspace-actions) and events (dashboard-events).
 */
export class DashboardService {
  readonly handlers: PortholeHandlers;
  readonly #options: DashboardServiceOptions;
  readonly #events = new DashboardEvents();
  readonly #context: DashboardContext;
  readonly #directory: AccountDirectory;
  readonly #signIn: DashboardSignIn;
  /** Set while the user's Refresh runs the poller: its failure is that call's answer, not a notice of its own. */
  #userRefresh: { failure?: unknown } | undefined;
  #current: AccountSession | undefined;

  private constructor(options: DashboardServiceOptions) {
    this.#options = options;
    this.#context = {
      options,
      events: this.#events,
      session: () => this.#session(),
      activeSession: () => this.#current,
    };
    this.#directory = new AccountDirectory(this.#context);
    this.#signIn = new DashboardSignIn(this.#context, this.#directory);
    this.handlers = this.#makeHandlers();
  }

  static async open(options: DashboardServiceOptions): Promise<DashboardService> {
    const service = new DashboardService(options);
    await service.#openAccount();
    return service;
  }

  get events() {
    return this.#events.hub;
  }

  get activity() {
    return this.#events.activity;
  }

  get account(): string {
    return this.#session().name;
  }

  async close(): Promise<void> {
    this.#signIn.cancelAll();
    await this.#closeAccount();
  }

  /**
   * For the app's editor window: a logged-in session on a ready workspace of
   * the active account (the window releases it), through the same tunnels
   * the browser path uses.
   */
  openSession(ref: WorkspaceRef): Promise<WorkspaceSession> {
    if (!this.#current) return Promise.reject(new PortholeError('internal', 'The dashboard service is closed.'));
    return this.#current.access.open(ref);
  }

  /** The engine's own events, of whichever account is active, for the app's notification policy. */
  onWorkspaceEvent(listener: (event: WorkspaceEvent) => void): () => void {
    return this.#events.onWorkspaceEvent(listener);
  }

  /** The active account's tunnels going down and up again, for the editor window's overlay. */
  onTunnelChange(listener: TunnelEventListener): () => void {
    return this.#current ? this.#current.access.deps.tunnels.events.subscribe(listener) : () => false;
  }

  #session(): AccountSession {
    if (!this.#current) throw new PortholeError('internal', 'The dashboard service is closed.');
    return this.#current;
  }

  async #closeAccount(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.close();
  }

  async #openAccount(): Promise<void> {
    const { dataDir, settings, secrets, connectSandbox, onRecovery } = this.#options;
    const account = activeAccount(settings);
    const signInKind = await this.#directory.signInKindOf(account.name);
    const session = await AccountSession.open({
      dataDir,
      settings,
      secrets,
      account,
      connectSandbox,
      ...(onRecovery ? { onRecovery } : {}),
      onRecoveryFailed: (failure) => this.#events.log('error', `Could not finish an interrupted operation on "${failure.name}": ${failure.message}`, { workspace: failure.name }),
      onListed: () => this.#directory.setHealth(account.name, { health: 'ok' }),
      onEvent: (event) => this.#events.forward(event),
      poller: {
        onError: (error) => {
          if (this.#userRefresh) {
            this.#userRefresh.failure = error;
            return;
          }
          if (isPortholeError(error, 'credentials')) return; // said once, by onCredentials
          this.#events.hub.emit('notice', { level: 'error', title: 'Cannot reach the cloud', message: toContractError(error).message });
        },
        onCredentials: (health, error) => this.#signIn.credentialsChanged(account.name, health, error, signInKind === 'sso'),
      },
    });
    this.#current = session;
    this.#events.hub.emit('workspacesReset', { account: session.engine.account, workspaces: session.engine.list() });
  }

  async #useAccount(name: string): Promise<AccountOption[]> {
    const { settings } = this.#options;
    await this.#directory.ensureConfigured(name);
    const previous = settings.get().activeAccount;
    await this.#closeAccount();
    settings.set('activeAccount', name);
    try {
      await this.#openAccount();
    } catch (error) {
      // The new account would not open (no credentials, say): stay usable on the one that worked.
      settings.set('activeAccount', previous);
      await this.#openAccount();
      throw error;
    }
    this.#events.log('info', `Switched to account ${name}.`);
    this.#events.hub.emit('settingsChanged', this.#uiSettings());
    return this.#directory.list();
  }

  async #refresh() {
    const session = this.#session();
    // Through the poller, so its schedule follows what the refresh found (every second while something changes)
    // and a Refresh after a sign-in elsewhere (porthole login) resumes a paused account.
    const asked: { failure?: unknown } = {};
    this.#userRefresh = asked;
    try {
      await session.poller.poke();
    } finally {
      this.#userRefresh = undefined;
    }
    // Refused credentials are the banner's to say; anything else is this call's failure.
    if (asked.failure !== undefined && !isPortholeError(asked.failure, 'credentials')) throw asked.failure;
    const workspaces = session.engine.list();
    this.#events.hub.emit('workspacesReset', { account: session.engine.account, workspaces });
    return workspaces;
  }

  #uiSettings(): UiSettings {
    const s = this.#options.settings.get();
    return {
      activeAccount: s.activeAccount,
      defaultRegion: s.defaultRegion,
      defaultBundleId: s.defaultBundleId,
      defaultBlueprintId: s.defaultBlueprintId,
      notifications: { ...s.notifications },
      launchAtLogin: s.launchAtLogin,
    };
  }

  #updateSettings(changes: Partial<Omit<UiSettings, 'activeAccount'>>): UiSettings {
    const { settings } = this.#options;
    if (changes.defaultRegion !== undefined) fieldCheck('defaultRegion', validateRegion(changes.defaultRegion));
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as Array<[keyof typeof changes, never]>;
    for (const [key, value] of entries) {
      try {
        settings.set(key, key === 'notifications' ? ({ ...settings.get().notifications, ...(value as object) } as never) : value);
      } catch (error) {
        throw new FieldError(key, error);
      }
    }
    const saved = this.#uiSettings();
    this.#events.hub.emit('settingsChanged', saved);
    return saved;
  }

  #makeHandlers(): PortholeHandlers {
    return {
      ...workspaceHandlers(this.#context),
      listWorkspaces: async () => this.#session().engine.list(),
      refreshWorkspaces: () => this.#refresh(),
      getSettings: async () => this.#uiSettings(),
      updateSettings: async (changes) => this.#updateSettings(changes),
      listAccounts: () => this.#directory.list(),
      listEveryAccount: () => {
        const { dataDir, settings, secrets, connectSandbox } = this.#options;
        const engine = this.#session().engine;
        return listEveryAccount({ dataDir, settings, secrets, connectSandbox, known: { account: engine.account, workspaces: engine.list() } });
      },
      useAccount: ({ name }) => this.#useAccount(name),
      listActivity: async ({ since }) => this.#events.activity.since(since),
      whoAmI: ({ account }) => this.#directory.whoAmI(account ?? this.#options.settings.get().activeAccount),
      signIn: ({ account }) => this.#signIn.start(account),
      cancelSignIn: async ({ account }) => ({ cancelled: this.#signIn.cancel(account) }),
      ...commandLineCalls({
        commandLine: this.#options.commandLine,
        env: this.#options.env ?? process.env,
        workspaces: () => {
          const session = this.#session();
          return { all: session.engine.list(), get: (ref) => session.engine.get(ref.name, ref.region), sandbox: session.opened.account.kind === 'sandbox' };
        },
        openVsCodeLink: this.#options.openVsCodeLink ?? this.#options.openExternal,
        log: (message, workspace) => this.#events.log('success', message, workspace),
      }),
    };
  }
}
