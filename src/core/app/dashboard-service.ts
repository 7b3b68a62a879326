import type { AccountListing, AccountOption, EveryAccountListing, PortholeHandlers, UiSettings, WorkspaceRef } from '../../shared/contract.js';
import type { Workspace } from '../../shared/workspace.js';
import type { TunnelEventListener } from '../access/tunnel-events.js';
import type { WorkspaceSession } from '../access/workspace-access.js';
import { isPortholeError, PortholeError } from '../errors.js';
import type { AccountSettings } from '../settings/settings-schema.js';
import { activeAccount } from '../workspaces/account-engine.js';
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
import { portHandlers } from './port-handlers.js';
import { dataHandlers } from './data-handlers.js';
import type { AnyEventListener } from './event-hub.js';
import { PageLogStreams } from './page-log-streams.js';
import { WorkspaceAwsSignIns } from './workspace-aws-sign-in.js';
import type { PortsChangedEvent } from '../ports/port-forwarder.js';
import type { PortReady } from '../../shared/ports.js';

export type { DashboardServiceOptions } from './dashboard-context.js';

/** Calls that belong to one connected page (their events go to it alone), answered by its connection. */
type PageCall = 'openLogStream' | 'closeLogStream';
export type ServiceHandlers = Omit<PortholeHandlers, PageCall>;

/** One connected page (a browser tab's WebSocket, the app's dashboard window) as the service serves it. */
export interface DashboardConnection {
  /** Every call of the contract, as this page makes it. */
  readonly handlers: PortholeHandlers;
  /** The page went: its log streams stop and it hears no more events. */
  close(): Promise<void>;
}
export type { SandboxLease } from './account-session.js';

/**
 * Answers every call of the contract, and turns the engines' event streams
 * into the contract's events. Every enabled account is open at once, each
 * with its own engine and poller: the active one is what the workspace list
 * shows, and a call naming another account's workspace acts on it without
 * switching. The Electron main process and `porthole ui` both serve this one
 * object, so the app and the browser dashboard run the same code. Its parts:
 * the account listing (account-directory), sign-in (dashboard-sign-in),
 * workspace actions (workspace-actions) and events (dashboard-events).
 */
export class DashboardService {
  readonly handlers: ServiceHandlers;
  readonly #options: DashboardServiceOptions;
  readonly #events = new DashboardEvents(() => this.#current?.name);
  readonly #context: DashboardContext;
  readonly #directory: AccountDirectory;
  readonly #signIn: DashboardSignIn;
  readonly #awsSignIns: WorkspaceAwsSignIns;
  /** Set while the user's Refresh runs the poller: its failure is that call's answer, not a notice of its own. */
  #userRefresh: { failure?: unknown } | undefined;
  #current: AccountSession | undefined;
  /** Every open account's session by name, the active one's included. */
  readonly #sessions = new Map<string, AccountSession>();
  /** Enabled accounts that would not open, and why. */
  readonly #unopened = new Map<string, unknown>();
  /** The other enabled accounts opening in the background after the active one. */
  #othersOpening: Promise<void> = Promise.resolve();
  readonly #portListeners = new Set<(ready: PortReady) => void>();
  /** Holders of watchWorkspaces(), and the active engine's watch while there are any. */
  #watching = 0;
  #releaseWatch: (() => void) | undefined;

  private constructor(options: DashboardServiceOptions) {
    this.#options = options;
    this.#context = {
      options,
      events: this.#events,
      session: (account) => this.#session(account),
      activeSession: () => this.#current,
      openSession: (account) => this.#sessions.get(account),
      accountsOpen: () => this.#othersOpening,
    };
    this.#directory = new AccountDirectory(this.#context);
    this.#signIn = new DashboardSignIn(this.#context, this.#directory);
    this.#awsSignIns = new WorkspaceAwsSignIns(this.#context);
    this.handlers = this.#makeHandlers();
  }

  static async open(options: DashboardServiceOptions): Promise<DashboardService> {
    const service = new DashboardService(options);
    await service.#activate(activeAccount(options.settings));
    service.#openOthers();
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
    this.#awsSignIns.cancelAll();
    await this.#othersOpening;
    this.#current = undefined;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    for (const session of sessions) await session.close();
  }

  /** Resolves once every enabled account has been opened or has failed to. */
  whenAccountsOpen(): Promise<void> {
    return this.#othersOpening;
  }

  /**
   * For the app's editor window: a logged-in session on a ready workspace of
   * its account (the window releases it), through the same tunnels the
   * browser path uses.
   */
  openSession(ref: WorkspaceRef): Promise<WorkspaceSession> {
    try {
      return this.#session(ref.account).access.open(ref);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A page connects: it hears every event through `send`, and gets the
   * contract's calls with its own log streams, which stop when it closes.
   */
  connect(send: AnyEventListener): DashboardConnection {
    const unsubscribe = this.#events.hub.subscribe(send);
    const streams = new PageLogStreams(this.#context, send);
    return {
      handlers: { ...this.handlers, openLogStream: (request) => streams.open(request), closeLogStream: async ({ stream }) => ({ closed: await streams.close(stream) }) },
      close: async () => {
        unsubscribe();
        await streams.closeAll();
      },
    };
  }

  /** The engines' own events, of every open account, for the app's notification policy. */
  onWorkspaceEvent(listener: (event: WorkspaceEvent) => void): () => void {
    return this.#events.onWorkspaceEvent(listener);
  }

  /** The active account's tunnels going down and up again, for the editor window's overlay. */
  onTunnelChange(listener: TunnelEventListener): () => void {
    return this.#current ? this.#current.access.deps.tunnels.events.subscribe(listener) : () => false;
  }

  #session(account?: string): AccountSession {
    if (!this.#current) throw new PortholeError('internal', 'The dashboard service is closed.');
    if (account === undefined || account === this.#current.name) return this.#current;
    const session = this.#sessions.get(account);
    if (session) return session;
    const failure = this.#unopened.get(account);
    if (failure !== undefined) {
      const problem = toContractError(failure);
      throw new PortholeError('usage', `Account "${account}" could not be opened: ${problem.message}`, problem.fix ? { fix: problem.fix } : {});
    }
    throw new PortholeError('usage', `Account "${account}" is not enabled.`, {
      fix: `Enable it with "porthole account enable ${account}", or switch to it with "porthole account use ${account}".`,
    });
  }

  /** The accounts open together: every enabled one and the active one. */
  #wantedAccounts(): AccountSettings[] {
    const { accounts, activeAccount: active } = this.#options.settings.get();
    return accounts.filter((a) => a.enabled !== false || a.name === active);
  }

  /** Opens the enabled accounts other than the active one, in the background: one that fails is reported, not fatal. */
  #openOthers(): void {
    const opening = async () => {
      for (const account of this.#wantedAccounts()) {
        if (this.#sessions.has(account.name)) continue;
        try {
          this.#sessions.set(account.name, await this.#openSession(account));
          this.#unopened.delete(account.name);
        } catch (error) {
          this.#unopened.set(account.name, error);
        }
      }
    };
    this.#othersOpening = this.#othersOpening.then(opening);
  }

  /** Makes the account active, opening it unless it is open already. */
  async #activate(account: AccountSettings): Promise<void> {
    await this.#othersOpening;
    let session = this.#sessions.get(account.name);
    if (!session) {
      session = await this.#openSession(account);
      this.#sessions.set(account.name, session);
      this.#unopened.delete(account.name);
    }
    if (this.#current !== session && this.#watching > 0) {
      // Whoever watches looks at the active account: its workspaces are the ones read every few seconds.
      this.#releaseWatch?.();
      this.#releaseWatch = session.engine.watchInstances();
    }
    this.#current = session;
    this.#events.hub.emit('workspacesReset', { account: session.engine.account, workspaces: session.engine.list() });
  }

  async #openSession(account: AccountSettings): Promise<AccountSession> {
    const { dataDir, settings, secrets, connectSandbox, onRecovery } = this.#options;
    const signInKind = await this.#directory.signInKindOf(account.name);
    return AccountSession.open({
      dataDir,
      settings,
      secrets,
      account,
      connectSandbox,
      ...(onRecovery ? { onRecovery } : {}),
      onRecoveryFailed: (failure) => this.#events.log('error', `Could not finish an interrupted operation on "${failure.name}": ${failure.message}`, { workspace: failure.name }),
      onListed: () => this.#directory.setHealth(account.name, { health: 'ok' }),
      onEvent: (event) => this.#events.forward(event),
      onPorts: (event) => this.#portsChanged(account.name, event),
      poller: {
        onError: (error) => {
          if (this.#userRefresh) {
            this.#userRefresh.failure = error;
            return;
          }
          if (isPortholeError(error, 'credentials')) return; // said once, by onCredentials
          const title = account.name === this.#current?.name ? 'Cannot reach the cloud' : `Cannot reach the cloud for ${account.name}`;
          this.#events.hub.emit('notice', { level: 'error', title, message: toContractError(error).message });
        },
        onCredentials: (health, error) => this.#signIn.credentialsChanged(account.name, health, error, signInKind === 'sso'),
      },
    });
  }

  /** The Ports panel follows; a forward just made for a listening port is the "your app is ready" moment. */
  #portsChanged(account: string, event: PortsChangedEvent): void {
    const session = this.#sessions.get(account);
    if (!session) return;
    const workspace = session.engine.list().find((w) => w.name === event.workspace && w.region === event.region);
    const ports = workspace ? session.ports.view(workspace) : [];
    this.#events.hub.emit('portsChanged', { name: event.workspace, region: event.region, ports, ...(event.problem ? { problem: event.problem } : {}) });
    for (const ready of event.ready) {
      for (const listener of this.#portListeners) listener({ workspace: event.workspace, region: event.region, port: ready.port, localAddress: `http://127.0.0.1:${ready.localPort}` });
    }
  }

  /** Ports forwarded as their servers came up, for the app's "your app is ready" notification. */
  onPortReady(listener: (ready: PortReady) => void): () => void {
    this.#portListeners.add(listener);
    return () => this.#portListeners.delete(listener);
  }

  /**
   * Someone looks at the dashboard (a connected page, the app's window):
   * ready workspaces are read every few seconds, so their ports show soon,
   * until the returned release is called.
   */
  watchWorkspaces(): () => void {
    this.#watching += 1;
    if (this.#watching === 1) this.#releaseWatch = this.#current?.engine.watchInstances();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#watching -= 1;
      if (this.#watching === 0) {
        this.#releaseWatch?.();
        this.#releaseWatch = undefined;
      }
    };
  }

  async #useAccount(name: string): Promise<AccountOption[]> {
    const { settings } = this.#options;
    await this.#directory.ensureConfigured(name);
    const previous = settings.get().activeAccount;
    settings.set('activeAccount', name);
    try {
      await this.#activate(activeAccount(settings));
    } catch (error) {
      // The new account would not open (no credentials, say): stay usable on the one that worked.
      settings.set('activeAccount', previous);
      await this.#activate(activeAccount(settings));
      throw error;
    }
    await this.#closeUnwanted();
    this.#events.log('info', `Switched to account ${name}.`);
    this.#events.hub.emit('settingsChanged', this.#uiSettings());
    return this.#directory.list();
  }

  /** A previously active account that is not enabled is let go once another is active. */
  async #closeUnwanted(): Promise<void> {
    const wanted = new Set(this.#wantedAccounts().map((a) => a.name));
    for (const [name, session] of this.#sessions) {
      if (wanted.has(name)) continue;
      this.#sessions.delete(name);
      await session.close();
    }
  }

  /** Every enabled account's workspaces as its poller last saw them, or why the account cannot be listed. */
  async #everyAccount(): Promise<EveryAccountListing> {
    await this.#othersOpening;
    const workspaces: Workspace[] = [];
    const accounts: AccountListing[] = [];
    for (const { name } of this.#wantedAccounts()) {
      const session = this.#sessions.get(name);
      const problem = session ? this.#directory.problemOf(name) : toContractError(this.#unopened.get(name) ?? new PortholeError('internal', `Account "${name}" is not open.`));
      if (session && !problem) {
        const listed = session.engine.list();
        workspaces.push(...listed);
        accounts.push({ name, listed: true, count: listed.length });
      } else if (problem) {
        accounts.push({ name, listed: false, message: problem.message, ...(problem.fix ? { fix: problem.fix } : {}) });
      }
    }
    return { workspaces, accounts };
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

  #makeHandlers(): ServiceHandlers {
    return {
      ...workspaceHandlers(this.#context),
      ...portHandlers(this.#context),
      ...dataHandlers(this.#context),
      ...this.#awsSignIns.handlers(),
      listWorkspaces: async () => this.#session().engine.list(),
      refreshWorkspaces: () => this.#refresh(),
      getSettings: async () => this.#uiSettings(),
      updateSettings: async (changes) => this.#updateSettings(changes),
      listAccounts: () => this.#directory.list(),
      listEveryAccount: () => this.#everyAccount(),
      useAccount: ({ name }) => this.#useAccount(name),
      listActivity: async ({ since }) => this.#events.activity.since(since),
      whoAmI: ({ account }) => this.#directory.whoAmI(account ?? this.#options.settings.get().activeAccount),
      signIn: ({ account }) => this.#signIn.start(account),
      cancelSignIn: async ({ account }) => ({ cancelled: this.#signIn.cancel(account) }),
      ...commandLineCalls({
        commandLine: this.#options.commandLine,
        env: this.#options.env ?? process.env,
        workspaces: (ref) => {
          const session = this.#session(ref.account);
          return { all: session.engine.list(), get: (ref) => session.engine.get(ref.name, ref.region), sandbox: session.opened.account.kind === 'sandbox' };
        },
        openVsCodeLink: this.#options.openVsCodeLink ?? this.#options.openExternal,
        log: (message, workspace) => this.#events.log('success', message, workspace),
      }),
    };
  }
}
