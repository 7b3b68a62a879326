import type {
  AccountHealth,
  AccountIdentityView,
  AccountOption,
  Catalog,
  CreateWorkspaceRequest,
  FieldProblem,
  ImageOption,
  OperationResult,
  PortholeHandlers,
  UiSettings,
  WorkspaceRef,
} from '../../shared/contract.js';
import type { OperationKind, Workspace } from '../../shared/workspace.js';
import { startLoginFront, type LoginFront } from '../access/login-front.js';
import type { PortholeWorkspaceAccess } from '../access/porthole-workspace-access.js';
import { wireWorkspaceAccess } from '../access/workspace-access-wiring.js';
import type { TunnelEventListener } from '../access/tunnel-events.js';
import type { WorkspaceSession } from '../access/workspace-access.js';
import { whoAmI } from '../credentials/account-identity.js';
import { discoverAwsProfiles, type AwsProfile } from '../credentials/aws-profiles.js';
import { isPortholeError, PortholeError } from '../errors.js';
import { loadLayerCatalog } from '../provision/layer-catalog.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { SANDBOX_ACCOUNT, type AccountSettings } from '../settings/settings-schema.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { openAccountEngine, activeAccount, type AccountEngine, type SandboxEndpoint } from '../workspaces/account-engine.js';
import { DEFAULT_IDLE_TIMEOUT_MINUTES } from '../workspaces/create-input.js';
import { listEveryAccount } from '../workspaces/every-account.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { validateIdleTimeoutMinutes, validateRegion, validateWorkspaceName } from '../workspaces/workspace-name.js';
import { WorkspacePoller } from '../workspaces/workspace-poller.js';
import { AccountSignIns, cancelledSignIn, type SignInOutcome } from './account-sign-in.js';
import { ActivityLog } from './activity-log.js';
import { FieldError, toContractError } from './contract-error.js';
import { EventHub } from './event-hub.js';

export interface SandboxLease extends SandboxEndpoint {
  /** Stops lightsail-local if this process started it. */
  release(): Promise<void>;
}

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
}

const OPERATION_VERBS: Readonly<Record<OperationKind, readonly [string, string]>> = {
  create: ['Creating', 'created'],
  start: ['Starting', 'started'],
  stop: ['Stopping', 'stopped'],
  reboot: ['Rebooting', 'rebooted'],
  hibernate: ['Hibernating', 'hibernated'],
  resume: ['Resuming', 'resumed'],
  delete: ['Deleting', 'deleted'],
  bake: ['Baking', 'baked'],
};

/**
 * Answers every call of the contract from the active account's engine, and
 * turns the engine's event stream into the contract's events. The Electron
 * main process and `porthole ui` both serve this one object, so the app and
 * the browser dashboard run the same code.
 */
export class DashboardService {
  readonly events = new EventHub();
  readonly activity = new ActivityLog();
  readonly handlers: PortholeHandlers;
  readonly #options: DashboardServiceOptions;
  /** Workspaces with an operation of ours under way: their changes are that operation's, logged when it ends. */
  readonly #busy = new Set<string>();
  /** What each account's credentials did last: the active one's from its poller, the others' from who-am-I. */
  readonly #health = new Map<string, { health: Exclude<AccountHealth, 'unknown'>; message?: string; fix?: string }>();
  readonly #identities = new Map<string, AccountIdentityView>();
  readonly #signIns: AccountSignIns;
  readonly #workspaceListeners = new Set<(event: WorkspaceEvent) => void>();
  /** Set while the user's Refresh runs the poller: its failure is that call's answer, not a notice of its own. */
  #userRefresh: { failure?: unknown } | undefined;
  #current:
    | {
        opened: AccountEngine;
        poller: WorkspacePoller;
        unsubscribe: () => void;
        access: PortholeWorkspaceAccess;
        /** Workspaces opened in the system browser: each link's front and the tunnel session behind it, kept until close. */
        browserFronts: Array<{ front: LoginFront; session: WorkspaceSession }>;
        sandbox?: SandboxLease;
      }
    | undefined;

  private constructor(options: DashboardServiceOptions) {
    this.#options = options;
    this.handlers = this.#makeHandlers();
    this.#signIns = new AccountSignIns({
      openUrl: (url) => options.openExternal(url),
      onOpenFailed: (account) => this.#log('info', `Could not open the browser for the sign-in to ${account}; open the link the dialog shows.`),
      onFinished: (account, outcome) => this.#signInFinished(account, outcome),
      ...(options.env ? { env: options.env } : {}),
    });
  }

  static async open(options: DashboardServiceOptions): Promise<DashboardService> {
    const service = new DashboardService(options);
    await service.#openAccount();
    return service;
  }

  get account(): string {
    return this.#engine().account;
  }

  async close(): Promise<void> {
    this.#signIns.cancelAll();
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
    this.#workspaceListeners.add(listener);
    return () => this.#workspaceListeners.delete(listener);
  }

  /** The active account's tunnels going down and up again, for the editor window's overlay. */
  onTunnelChange(listener: TunnelEventListener): () => void {
    return this.#current ? this.#current.access.deps.tunnels.events.subscribe(listener) : () => false;
  }

  async #closeAccount(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    current.poller.stop();
    current.unsubscribe();
    for (const { front, session } of current.browserFronts) {
      await front.close();
      await session.release();
    }
    await current.access.closeAll();
    current.opened.close();
    await current.sandbox?.release();
  }

  async #openAccount(): Promise<void> {
    const { dataDir, settings, secrets } = this.#options;
    const sandbox = activeAccount(settings).kind === 'sandbox' ? await this.#options.connectSandbox() : undefined;
    let opened: AccountEngine | undefined;
    try {
      opened = await openAccountEngine({ dataDir, settings, secrets, ...(sandbox ? { sandbox } : {}) });
      const recovery = await opened.engine.recover((p) => this.#options.onRecovery?.(`finishing an interrupted ${p.kind}: [${p.index}/${p.total}] ${p.step}`));
      for (const failure of recovery.failed) {
        this.#log('error', `Could not finish an interrupted operation on "${failure.name}": ${failure.message}`, { workspace: failure.name });
      }
      const name = opened.account.name;
      await opened.engine.refresh().then(
        () => this.#health.set(name, { health: 'ok' }),
        (error: unknown) => {
          // Expired credentials must not keep the dashboard shut: the poller reports them and "Sign in" renews them.
          if (!isPortholeError(error, 'credentials')) throw error;
        },
      );
    } catch (error) {
      opened?.close();
      await sandbox?.release();
      throw error;
    }
    const unsubscribe = opened.engine.events.subscribe((event) => this.#forward(event));
    const accountName = opened.account.name;
    const signInKind = await this.#signInKindOf(accountName);
    const poller = new WorkspacePoller(opened.engine, {
      onError: (error) => {
        if (this.#userRefresh) {
          this.#userRefresh.failure = error;
          return;
        }
        if (isPortholeError(error, 'credentials')) return; // said once, by onCredentials
        this.events.emit('notice', { level: 'error', title: 'Cannot reach the cloud', message: toContractError(error).message });
      },
      onCredentials: (health, error) => this.#credentialsChanged(accountName, health, error, signInKind === 'sso'),
    });
    poller.start();
    const { access } = wireWorkspaceAccess({ engine: opened.engine, gateway: opened.gateway, settings, ...(sandbox ? { sandboxEndpoint: sandbox.endpoint } : {}) });
    this.#current = { opened, poller, unsubscribe, access, browserFronts: [], ...(sandbox ? { sandbox } : {}) };
    this.events.emit('workspacesReset', { account: opened.engine.account, workspaces: opened.engine.list() });
  }

  #engine() {
    if (!this.#current) throw new PortholeError('internal', 'The dashboard service is closed.');
    return this.#current.opened.engine;
  }

  #forward(event: WorkspaceEvent): void {
    for (const listener of this.#workspaceListeners) listener(event);
    switch (event.type) {
      case 'workspace-changed': {
        this.events.emit('workspaceChanged', { workspace: event.workspace });
        const { previous, workspace } = event;
        // Changes the user did not ask for (an idle stop, a failure found by the poller) go in the log.
        if (event.cause === 'cloud' && previous && previous.state !== workspace.state && !this.#busy.has(workspace.name)) {
          this.#log(workspace.state === 'error' ? 'error' : 'info', `${workspace.name} is now ${workspace.state}${workspace.reason ? `: ${workspace.reason}` : ''}.`, workspace);
        }
        return;
      }
      case 'workspace-removed':
        this.events.emit('workspaceRemoved', { name: event.workspace.name, region: event.workspace.region });
        return;
      case 'operation-progress':
        this.events.emit('operationProgress', { name: event.workspace, region: event.region, progress: event.progress });
        return;
      case 'refresh-failed':
      case 'refreshed':
      case 'account':
        return;
    }
  }

  #log(level: 'info' | 'success' | 'error', message: string, about?: { name: string; region?: string } | { workspace: string }, operation?: OperationKind): void {
    const where = about && 'workspace' in about ? { workspace: about.workspace } : about ? { workspace: about.name, ...(about.region ? { region: about.region } : {}) } : {};
    const entry = this.activity.add({ level, message, ...where, ...(operation ? { operation } : {}) });
    this.events.emit('activity', entry);
  }

  /** Runs one lifecycle operation, with a line in the log when it begins and ends and a notice when it fails. */
  async #operate(kind: OperationKind, ref: WorkspaceRef, run: () => Promise<Workspace>): Promise<OperationResult> {
    const [doing, done] = OPERATION_VERBS[kind];
    this.#log('info', `${doing} ${ref.name}…`, ref, kind);
    this.#busy.add(ref.name);
    try {
      const workspace = await run();
      const outcome = kind === 'delete' || workspace.state === done ? '' : `; it is ${workspace.state}`;
      this.#log('success', `${ref.name} ${done}${outcome}.`, workspace, kind);
      this.events.emit('notice', { level: 'success', title: `${ref.name} ${done}`, message: `${ref.name} is ${kind === 'delete' ? 'gone' : workspace.state}.`, workspace: ref.name, ...(ref.region ? { region: ref.region } : {}) });
      return { workspace };
    } catch (error) {
      const problem = toContractError(error instanceof FieldError ? error.problem : error);
      this.#log('error', `${doing} ${ref.name} failed: ${problem.message}`, ref, kind);
      this.events.emit('notice', { level: 'error', title: `${doing} ${ref.name} failed`, message: problem.fix ? `${problem.message} ${problem.fix}` : problem.message, workspace: ref.name });
      throw error;
    } finally {
      this.#busy.delete(ref.name);
    }
  }

  #nameProblem(name: string, region?: string): FieldProblem | null {
    const problem = validateWorkspaceName(name);
    if (problem) return { field: 'name', ...split(problem) };
    const engine = this.#engine();
    const inRegion = region ?? this.#options.settings.get().defaultRegion;
    if (engine.list().some((w) => w.name === name && w.region === inRegion)) {
      return { field: 'name', message: `A workspace named "${name}" already exists in ${inRegion}.`, fix: 'Choose another name.' };
    }
    return null;
  }

  async #create(request: CreateWorkspaceRequest): Promise<OperationResult> {
    const nameProblem = this.#nameProblem(request.name, request.region);
    if (nameProblem) throw new FieldError('name', new PortholeError('usage', nameProblem.message, nameProblem.fix ? { fix: nameProblem.fix } : {}));
    if (request.region !== undefined) fieldCheck('region', validateRegion(request.region));
    if (request.idleTimeoutMinutes !== undefined) fieldCheck('idleTimeoutMinutes', validateIdleTimeoutMinutes(request.idleTimeoutMinutes));
    const engine = this.#engine();
    if (request.image) {
      const region = request.region ?? this.#options.settings.get().defaultRegion;
      const images = (await engine.listImages()).filter((image) => image.region === region);
      if (!images.some((image) => image.name === request.image)) {
        throw new FieldError(
          'image',
          new PortholeError('usage', `There is no image "${request.image}" in ${region}.`, {
            fix: images.length > 0 ? `Choose one of: ${images.map((i) => i.name).join(', ')}, or none.` : 'Choose none, or bake one from a ready workspace with "porthole bake".',
          }),
        );
      }
    }
    if (request.layers && request.layers.length > 0) {
      const catalog = await loadLayerCatalog({ dataDir: this.#options.dataDir });
      const unknown = request.layers.filter((layer) => !catalog.has(layer));
      if (unknown.length > 0) {
        throw new FieldError('layers', new PortholeError('usage', `Unknown layer${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, { fix: `Choose from: ${[...catalog.keys()].join(', ')}.` }));
      }
    }
    return this.#operate('create', request, () =>
      engine.create({
        name: request.name,
        ...(request.region ? { region: request.region } : {}),
        ...(request.bundleId ? { bundleId: request.bundleId } : {}),
        ...(request.blueprintId ? { blueprintId: request.blueprintId } : {}),
        ...(request.accessMode ? { accessMode: request.accessMode } : {}),
        ...(request.idleTimeoutMinutes !== undefined ? { idleTimeoutMinutes: request.idleTimeoutMinutes } : {}),
        ...(request.layers ? { layers: request.layers } : {}),
        ...(request.image ? { image: request.image } : {}),
      }),
    );
  }

  async #catalog(regionAsked?: string): Promise<Catalog> {
    const { gateway } = this.#current!.opened;
    const settings = this.#options.settings.get();
    const region = regionAsked ?? settings.defaultRegion;
    const [regions, bundles, blueprints, layers, images] = await Promise.all([
      gateway.getRegions(),
      gateway.getBundles(region),
      gateway.getBlueprints(region),
      loadLayerCatalog({ dataDir: this.#options.dataDir }),
      this.#engine().listImages(),
    ]);
    return {
      region,
      regions: regions.map((r) => ({ name: r.name, displayName: r.displayName })),
      bundles: bundles
        .filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX'))
        .sort((a, b) => a.priceMonthlyUsd - b.priceMonthlyUsd)
        .map((b) => ({ id: b.id, name: b.name, priceMonthlyUsd: b.priceMonthlyUsd, cpuCount: b.cpuCount, ramSizeInGb: b.ramSizeInGb, diskSizeInGb: b.diskSizeInGb })),
      blueprints: blueprints.filter((b) => b.isActive && b.type === 'os' && b.platform === 'LINUX_UNIX').map((b) => ({ id: b.id, name: b.name })),
      layers: [...layers.values()].map((entry) => ({
        name: entry.layer.name,
        description: entry.layer.description,
        extends: entry.layer.extends ?? [],
        source: entry.source.kind,
      })),
      images: images.filter((i) => i.region === region && i.state === 'available').map((i) => ({ name: i.name, layers: i.layers, region: i.region })),
      defaults: {
        bundleId: settings.defaultBundleId,
        blueprintId: settings.defaultBlueprintId,
        layers: ['base'],
        accessMode: 'tunnel',
        idleTimeoutMinutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
      },
    };
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

  #profiles(): Promise<AwsProfile[]> {
    return this.#options.listProfiles ? this.#options.listProfiles() : discoverAwsProfiles(this.#options.env);
  }

  async #accounts(): Promise<AccountOption[]> {
    const active = this.#options.settings.get().activeAccount;
    const profiles = await this.#profiles();
    return [
      { name: SANDBOX_ACCOUNT, kind: 'sandbox', detail: 'lightsail-local on this computer', active: active === SANDBOX_ACCOUNT, health: 'ok', signInKind: 'none' },
      ...profiles.map((p): AccountOption => {
        const identity = this.#identities.get(p.name);
        return {
          name: p.name,
          kind: 'aws-profile',
          detail: p.region ?? '',
          active: active === p.name,
          health: this.#health.get(p.name)?.health ?? 'unknown',
          signInKind: p.kind?.type === 'sso' ? 'sso' : 'none',
          ...(identity ? { identity } : {}),
        };
      }),
    ];
  }

  /** 'sso' when "Sign in" renews the account's credentials (an IAM Identity Center profile). */
  async #signInKindOf(account: string): Promise<'sso' | 'none'> {
    if (account === SANDBOX_ACCOUNT) return 'none';
    const profile = this.#profileOf(account);
    const found = (await this.#profiles().catch(() => [])).find((p) => p.name === profile);
    return found?.kind?.type === 'sso' ? 'sso' : 'none';
  }

  /** The AWS profile behind an account name: the configured account's, or a profile of that name. */
  #profileOf(account: string): string {
    if (account === SANDBOX_ACCOUNT) {
      throw new PortholeError('usage', 'The Sandbox account is lightsail-local on this computer: it has no AWS identity and needs no sign-in.', {
        fix: 'Choose an AWS profile for this.',
      });
    }
    const configured = this.#options.settings.get().accounts.find((a) => a.name === account);
    return configured?.kind === 'aws-profile' ? configured.profile : account;
  }

  /** The poller found the active account's credentials refused (it pauses) or working again (it polls again). */
  #credentialsChanged(account: string, health: 'ok' | 'expired', error: unknown, canSignIn: boolean): void {
    const problem = error === undefined ? undefined : toContractError(error);
    this.#health.set(account, { health, ...(problem ? { message: problem.message } : {}), ...(problem?.fix ? { fix: problem.fix } : {}) });
    this.events.emit('accountHealth', { account, health, ...(problem ? { message: problem.message } : {}), ...(problem?.fix ? { fix: problem.fix } : {}) });
    if (health === 'expired') {
      this.#log('error', `Sign-in needed for ${account}: ${problem?.message ?? 'its credentials stopped working'} Checking for changes is paused until then.`);
      this.events.emit('notice', {
        level: 'error',
        title: `Sign-in needed for ${account}`,
        message: problem?.fix ? `${problem.message} ${problem.fix}` : (problem?.message ?? ''),
        ...(canSignIn ? { action: { kind: 'signIn' as const, account } } : {}),
      });
      return;
    }
    this.#log('success', `The credentials of ${account} work again; checking for changes resumed.`);
    const engine = this.#current?.opened.engine;
    if (engine && engine.account === account) this.events.emit('workspacesReset', { account, workspaces: engine.list() });
  }

  async #whoAmI(account: string): Promise<AccountIdentityView> {
    const profile = this.#profileOf(account);
    try {
      const identity = await whoAmI(profile, this.#options.env);
      const view: AccountIdentityView = { accountId: identity.accountId, arn: identity.arn, ...(identity.expiresAt ? { expiresAt: identity.expiresAt } : {}) };
      this.#identities.set(account, view);
      if (this.#current?.opened.account.name !== account) this.#health.set(account, { health: 'ok' });
      return view;
    } catch (error) {
      // The active account's health is its poller's to say; another's is known only from here.
      if (isPortholeError(error, 'credentials') && this.#current?.opened.account.name !== account) {
        const problem = toContractError(error);
        this.#health.set(account, { health: 'expired', message: problem.message, ...(problem.fix ? { fix: problem.fix } : {}) });
      }
      throw error;
    }
  }

  async #signIn(account: string) {
    const profile = this.#profileOf(account);
    const prompt = await this.#signIns.start(account, profile);
    this.#log('info', `Signing in to ${account}: approve code ${prompt.userCode} in the browser.`);
    return prompt;
  }

  async #signInFinished(account: string, outcome: SignInOutcome): Promise<void> {
    if (!outcome.ok) {
      const problem = toContractError(outcome.cancelled ? cancelledSignIn(account) : outcome.error);
      const message = problem.fix ? `${problem.message} ${problem.fix}` : problem.message;
      this.#log(outcome.cancelled ? 'info' : 'error', outcome.cancelled ? `Sign-in to ${account} cancelled.` : `Sign-in to ${account} failed: ${message}`);
      this.events.emit('signInFinished', { account, ok: false, message });
      return;
    }
    this.#log('success', `Signed in to ${account} until ${outcome.expiresAt}.`);
    const current = this.#current;
    // The paused poller of the active account tries again now, so its workspaces come back without a restart.
    if (current && current.opened.account.name === account) await current.poller.resume();
    await this.#whoAmI(account).catch(() => undefined);
    this.events.emit('signInFinished', { account, ok: true });
  }

  async #useAccount(name: string): Promise<AccountOption[]> {
    const { settings } = this.#options;
    const current = settings.get();
    if (name !== SANDBOX_ACCOUNT) {
      const profiles = await this.#profiles();
      const profile = profiles.find((p) => p.name === name);
      if (!profile) {
        throw new PortholeError('usage', `There is no AWS profile "${name}" in the shared AWS config files.`, {
          fix: profiles.length > 0 ? `Use "sandbox" or one of: ${profiles.map((p) => p.name).join(', ')}.` : 'Create one with "aws configure sso", or use "sandbox".',
        });
      }
      if (!current.accounts.some((a) => a.name === name)) {
        const added: AccountSettings = { name, kind: 'aws-profile', profile: name, regions: [profile.region ?? current.defaultRegion] };
        settings.set('accounts', [...current.accounts, added]);
      }
    }
    const previous = current.activeAccount;
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
    this.#log('info', `Switched to account ${name}.`);
    this.events.emit('settingsChanged', this.#uiSettings());
    return this.#accounts();
  }

  /**
   * Opens the workspace in the system browser, logged in: through its SSH
   * tunnel and a one-time link to a loopback front that sets code-server's
   * cookie, as `porthole open` does. The tunnel stays up while Porthole runs.
   */
  async #openInBrowser(ref: WorkspaceRef): Promise<void> {
    const current = this.#current;
    if (!current) throw new PortholeError('internal', 'The dashboard service is closed.');
    const workspace = current.opened.engine.get(ref.name, ref.region);
    if (workspace.accessMode === 'direct') {
      throw new PortholeError('usage', `Workspace "${workspace.name}" uses direct HTTPS access, which a browser cannot pin to its certificate.`, {
        fix: `Open it in the Porthole app (it pins the certificate), or browse to https://${workspace.publicIp ?? 'its address'}:8443 and check the certificate fingerprint Porthole stored.`,
      });
    }
    const session = await current.access.open({ name: workspace.name, region: workspace.region });
    let front: LoginFront | undefined;
    try {
      front = await startLoginFront(session);
      await this.#options.openExternal(front.loginUrl);
    } catch (error) {
      await front?.close();
      await session.release();
      throw error;
    }
    current.browserFronts.push({ front, session });
    this.#log('info', `Opened ${workspace.name} in the browser at ${front.origin}.`, workspace);
  }

  #makeHandlers(): PortholeHandlers {
    return {
      listWorkspaces: async () => this.#engine().list(),
      refreshWorkspaces: async () => {
        const engine = this.#engine();
        // Through the poller, so its schedule follows what the refresh found (every second while something changes)
        // and a Refresh after a sign-in elsewhere (porthole login) resumes a paused account.
        const asked: { failure?: unknown } = {};
        this.#userRefresh = asked;
        try {
          await this.#current!.poller.poke();
        } finally {
          this.#userRefresh = undefined;
        }
        // Refused credentials are the banner's to say; anything else is this call's failure.
        if (asked.failure !== undefined && !isPortholeError(asked.failure, 'credentials')) throw asked.failure;
        const workspaces = engine.list();
        this.events.emit('workspacesReset', { account: engine.account, workspaces });
        return workspaces;
      },
      createWorkspace: (request) => this.#create(request),
      startWorkspace: (ref) => this.#operate('start', ref, () => this.#engine().start(ref.name, regionOf(ref))),
      stopWorkspace: (ref) => this.#operate('stop', ref, () => this.#engine().stop(ref.name, regionOf(ref))),
      rebootWorkspace: (ref) => this.#operate('reboot', ref, () => this.#engine().reboot(ref.name, regionOf(ref))),
      hibernateWorkspace: (ref) =>
        this.#operate('hibernate', ref, () => this.#engine().hibernate(ref.name, { ...regionOf(ref), ...(ref.releaseIp !== undefined ? { releaseIp: ref.releaseIp } : {}) })),
      resumeWorkspace: (ref) => this.#operate('resume', ref, () => this.#engine().resume(ref.name, regionOf(ref))),
      deleteWorkspace: (ref) =>
        this.#operate('delete', ref, () => this.#engine().delete(ref.name, { ...regionOf(ref), ...(ref.keepSnapshots !== undefined ? { keepSnapshots: ref.keepSnapshots } : {}) })),
      bakeWorkspace: async ({ image, ...ref }) => {
        const engine = this.#engine();
        let baked: ImageOption | undefined;
        await this.#operate('bake', ref, async () => {
          const made = await engine.bake(ref.name, image, regionOf(ref));
          baked = { name: made.name, layers: made.layers, region: made.region };
          return engine.get(ref.name, made.region);
        });
        return { image: baked! };
      },
      validateName: async ({ name, region }) => this.#nameProblem(name, region),
      getCatalog: ({ region }) => this.#catalog(region),
      getSettings: async () => this.#uiSettings(),
      updateSettings: async (changes) => {
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
        this.events.emit('settingsChanged', saved);
        return saved;
      },
      listAccounts: () => this.#accounts(),
      listEveryAccount: () => {
        const { dataDir, settings, secrets, connectSandbox } = this.#options;
        const engine = this.#engine();
        return listEveryAccount({ dataDir, settings, secrets, connectSandbox, known: { account: engine.account, workspaces: engine.list() } });
      },
      useAccount: ({ name }) => this.#useAccount(name),
      copyPassword: async (ref) => {
        const password = await this.#engine().password(ref.name, ref.region);
        await this.#options.copyToClipboard(password);
        this.#log('info', `Copied the password of ${ref.name} to the clipboard.`, ref);
        return { copied: true };
      },
      openWorkspace: async (ref) => {
        const workspace = this.#engine().get(ref.name, ref.region);
        if (this.#options.openEditorWindow) {
          await this.#options.openEditorWindow(workspace);
          return { opened: 'window' };
        }
        await this.#openInBrowser(ref);
        return { opened: 'browser' };
      },
      openInBrowser: async (ref) => {
        await this.#openInBrowser(ref);
        return { opened: 'browser' };
      },
      listActivity: async ({ since }) => this.activity.since(since),
      whoAmI: ({ account }) => this.#whoAmI(account ?? this.#options.settings.get().activeAccount),
      signIn: ({ account }) => this.#signIn(account),
      cancelSignIn: async ({ account }) => ({ cancelled: this.#signIns.cancel(account) }),
    };
  }
}

function regionOf(ref: WorkspaceRef): { region?: string } {
  return ref.region ? { region: ref.region } : {};
}

function split(problem: PortholeError): { message: string; fix?: string } {
  const { message, fix } = toContractError(problem);
  return fix ? { message, fix } : { message };
}

function fieldCheck(field: string, problem: PortholeError | undefined): void {
  if (problem) throw new FieldError(field, problem);
}
