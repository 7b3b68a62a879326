import { awsEndpointResolver, sandboxEndpointResolver } from '../access/ssh-endpoint-resolver.js';
import type { BoxAccessDependencies } from '../access/ssh-tunnel.js';
import type { WorkspaceRef } from '../../shared/contract.js';
import { startLoginFront, type LoginFront } from '../access/login-front.js';
import type { PortholeWorkspaceAccess } from '../access/porthole-workspace-access.js';
import { wireWorkspaceAccess } from '../access/workspace-access-wiring.js';
import type { Workspace } from '../../shared/workspace.js';
import { isPortholeError, PortholeError } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AccountSettings } from '../settings/settings-schema.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { openAccountEngine, type AccountEngine, type SandboxEndpoint } from '../workspaces/account-engine.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { WorkspacePoller } from '../workspaces/workspace-poller.js';
import type { PortsChangedEvent } from '../ports/port-forwarder.js';
import { WorkspacePorts } from '../ports/workspace-ports.js';

export interface SandboxLease extends SandboxEndpoint {
  /** Stops lightsail-local if this process started it. */
  release(): Promise<void>;
}

export interface AccountSessionOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  account: AccountSettings;
  /** Finds or starts the Sandbox account's lightsail-local. */
  connectSandbox: () => Promise<SandboxLease>;
  /** Progress lines while carrying on operations an earlier run left unfinished. */
  onRecovery?: (line: string) => void;
  /** An interrupted operation that could not be finished. */
  onRecoveryFailed: (failure: { name: string; message: string }) => void;
  /** The first look at the cloud worked: the credentials are good. */
  onListed: () => void;
  onEvent: (event: WorkspaceEvent) => void;
  /** A workspace's forwards changed. */
  onPorts?: (event: PortsChangedEvent) => void;
  /** What the account's poller says when a look fails or its credentials stop or start working. */
  poller: { onError: (error: unknown) => void; onCredentials: (health: 'expired' | 'ok', error?: unknown) => void };
}

/**
 * One opened account: its engine (after finishing what an earlier run left
 * unfinished), its poller, its tunnels and the browser links opened on its
 * workspaces, and the Sandbox's lightsail-local when it is the Sandbox.
 * Closing it lets all of them go.
 */
export class AccountSession {
  readonly opened: AccountEngine;
  readonly poller: WorkspacePoller;
  readonly access: PortholeWorkspaceAccess;
  /** The workspaces' dev servers, forwarded over their tunnels while the account is open. */
  readonly ports: WorkspacePorts;
  readonly #unsubscribe: () => void;
  readonly #sandbox: SandboxLease | undefined;
  /** Workspaces opened in the system browser: each link's front and the tunnel session behind it, kept until close. */
  readonly #browserFronts: Array<{ front: LoginFront; session: Awaited<ReturnType<PortholeWorkspaceAccess['open']>> }> = [];

  private constructor(opened: AccountEngine, options: AccountSessionOptions, sandbox: SandboxLease | undefined) {
    this.opened = opened;
    this.#sandbox = sandbox;
    this.#unsubscribe = opened.engine.events.subscribe(options.onEvent);
    this.poller = new WorkspacePoller(opened.engine, options.poller);
    this.poller.start();
    const { access, tunnels } = wireWorkspaceAccess({ engine: opened.engine, gateway: opened.gateway, settings: options.settings, firewall: opened.firewall, ...(sandbox ? { sandboxEndpoint: sandbox.endpoint } : {}) });
    this.access = access;
    this.ports = new WorkspacePorts({ dataDir: options.dataDir, account: opened.account.name, engine: opened.engine, tunnels, ...(options.onPorts ? { onChange: options.onPorts } : {}) });
  }

  static async open(options: AccountSessionOptions): Promise<AccountSession> {
    const { dataDir, settings, secrets, account } = options;
    const sandbox = account.kind === 'sandbox' ? await options.connectSandbox() : undefined;
    let opened: AccountEngine | undefined;
    try {
      opened = await openAccountEngine({ dataDir, settings, secrets, account, ...(sandbox ? { sandbox } : {}) });
      const recovery = await opened.engine.recover((p) => options.onRecovery?.(`finishing an interrupted ${p.kind}: [${p.index}/${p.total}] ${p.step}`));
      for (const failure of recovery.failed) options.onRecoveryFailed(failure);
      await opened.engine.refresh().then(options.onListed, (error: unknown) => {
        // Expired credentials must not keep the dashboard shut: the poller reports them and "Sign in" renews them.
        if (!isPortholeError(error, 'credentials')) throw error;
      });
    } catch (error) {
      opened?.close();
      await sandbox?.release();
      throw error;
    }
    return new AccountSession(opened, options, sandbox);
  }

  get name(): string {
    return this.opened.account.name;
  }

  get engine() {
    return this.opened.engine;
  }

  /** What a short SSH run on one of its workspaces needs: certificates from its gateway, where its instances answer SSH, and the firewall that follows this computer. */
  get boxAccess(): BoxAccessDependencies {
    return { gateway: this.opened.gateway, resolver: this.#sandbox ? sandboxEndpointResolver(this.#sandbox.endpoint, 'ssh') : awsEndpointResolver, firewall: this.opened.firewall };
  }

  /**
   * Opens the workspace in the system browser, logged in: through its SSH
   * tunnel and a one-time link to a loopback front that sets code-server's
   * cookie, as `porthole open` does. The tunnel stays up while the account is open.
   */
  async openInBrowser(ref: WorkspaceRef, openExternal: (url: string) => Promise<void>): Promise<{ workspace: Workspace; origin: string }> {
    const workspace = this.engine.get(ref.name, ref.region);
    if (workspace.accessMode === 'direct') {
      throw new PortholeError('usage', `Workspace "${workspace.name}" uses direct HTTPS access, which a browser cannot pin to its certificate.`, {
        fix: `Open it in the Porthole app (it pins the certificate), or browse to https://${workspace.publicIp ?? 'its address'}:8443 and check the certificate fingerprint Porthole stored.`,
      });
    }
    const session = await this.access.open({ name: workspace.name, region: workspace.region });
    let front: LoginFront | undefined;
    try {
      front = await startLoginFront(session);
      await openExternal(front.loginUrl);
    } catch (error) {
      await front?.close();
      await session.release();
      throw error;
    }
    this.#browserFronts.push({ front, session });
    return { workspace, origin: front.origin };
  }

  async close(): Promise<void> {
    this.poller.stop();
    this.#unsubscribe();
    for (const { front, session } of this.#browserFronts) {
      await front.close();
      await session.release();
    }
    await this.ports.close();
    await this.access.closeAll();
    this.opened.close();
    await this.#sandbox?.release();
  }
}
