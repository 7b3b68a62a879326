import type { WorkspaceRef } from '../../shared/contract.js';
import type { Workspace } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { SESSION_COOKIE, loginToCodeServer } from './code-server-login.js';
import { pinnedHttpsAgent, presentedCertificate } from './pinned-https.js';
import type { InstanceAccessPoint, SshEndpointResolver } from './ssh-endpoint-resolver.js';
import { tunnelTargetOf, type SshTunnel, type TunnelTarget } from './ssh-tunnel.js';
import type { TunnelManager } from './tunnel-manager.js';
import type { SessionCookies, WorkspaceAccess, WorkspaceSession } from './workspace-access.js';
import { instanceNameOf } from '../workspaces/workspace-ref.js';

/** Where the pinned certificate fingerprint of a direct-access workspace is kept (its settings record). */
export interface CertificatePins {
  get(ref: WorkspaceRef): string | undefined;
  set(ref: WorkspaceRef, fingerprint256: string): Promise<void>;
}

export interface WorkspaceAccessDependencies {
  engine: { get(name: string, region?: string): Workspace; password(name: string, region?: string): Promise<string> };
  tunnels: TunnelManager;
  resolver: SshEndpointResolver;
  /** A one-off tunnel to another port of the instance (its TLS port), for learning a direct certificate over SSH. */
  openSideTunnel: (target: TunnelTarget, forward: (point: InstanceAccessPoint) => { host: string; port: number }) => Promise<SshTunnel>;
  pins: CertificatePins;
}

/**
 * Opens workspaces for the window, the browser and the CLI: through the
 * shared SSH tunnel (or, for direct access, HTTPS pinned to the workspace's
 * certificate), already logged in with the keychain password.
 */
export class PortholeWorkspaceAccess implements WorkspaceAccess {
  constructor(readonly deps: WorkspaceAccessDependencies) {}

  async open(ref: WorkspaceRef): Promise<WorkspaceSession> {
    const workspace = this.deps.engine.get(ref.name, ref.region);
    if (workspace.state !== 'ready') {
      throw new PortholeError('wrong-state', `Workspace "${workspace.name}" is ${workspace.state}; it can be opened only when ready.`, {
        fix: workspace.state === 'stopped' ? `Start it with "porthole start ${workspace.name}".` : workspace.state === 'hibernated' ? `Resume it with "porthole resume ${workspace.name}".` : 'Wait until it is ready.',
      });
    }
    const password = await this.deps.engine.password(workspace.name, workspace.region);
    return workspace.accessMode === 'direct' ? this.#openDirect(workspace, password) : this.#openTunnel(workspace, password);
  }

  closeAll(): Promise<void> {
    return this.deps.tunnels.closeAll();
  }

  async #openTunnel(workspace: Workspace, password: string): Promise<WorkspaceSession> {
    const lease = await this.deps.tunnels.acquire(tunnelTargetOf(workspace));
    let stopFollowing = () => {};
    try {
      const origin = `http://127.0.0.1:${lease.localPort}`;
      const cookiesOf = (value: string): SessionCookies => [{ name: SESSION_COOKIE, value, path: '/', httpOnly: true, secure: false }];
      const listeners = new Set<(cookies: SessionCookies) => void>();
      const session: WorkspaceSession = {
        url: `${origin}/`,
        origin,
        cookies: cookiesOf(await loginToCodeServer(`${origin}/`, password, workspace.name)),
        onRenewed: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        release: async () => {
          stopFollowing();
          await lease.release();
        },
      };
      // A restore in place moves this tunnel to the new instance, whose code-server knows the password but not the old cookie.
      let instance = instanceNameOf(workspace);
      stopFollowing = this.deps.tunnels.events.subscribe((event) => {
        if (event.state !== 'up' || event.localPort !== lease.localPort || event.instance === undefined || event.instance === instance) return;
        instance = event.instance;
        void this.#logInAgain(workspace, session.url).then((value) => {
          if (value === undefined) return;
          session.cookies = cookiesOf(value);
          for (const listener of listeners) listener(session.cookies);
        });
      });
      return session;
    } catch (error) {
      stopFollowing();
      await lease.release();
      throw error;
    }
  }

  /** The new instance's cookie; none when that login fails, and the page then shows code-server's own login. */
  async #logInAgain(workspace: Workspace, url: string): Promise<string | undefined> {
    try {
      return await loginToCodeServer(url, await this.deps.engine.password(workspace.name, workspace.region), workspace.name);
    } catch {
      return undefined;
    }
  }

  async #openDirect(workspace: Workspace, password: string): Promise<WorkspaceSession> {
    const ref = { name: workspace.name, region: workspace.region };
    const point = await this.deps.resolver.resolve(workspace.region, instanceNameOf(workspace), workspace.publicIp);
    if (!point.direct) throw new PortholeError('wrong-state', `Workspace "${workspace.name}" does not serve direct HTTPS.`, { fix: 'Open it through its SSH tunnel instead.' });
    const fingerprint = this.deps.pins.get(ref) ?? (await this.#learnCertificate(workspace));
    const agent = await pinnedHttpsAgent(workspace.name, point.direct.host, point.direct.port, fingerprint);
    try {
      const origin = `https://${point.direct.host}:${point.direct.port}`;
      const cookie = await loginToCodeServer(`${origin}/`, password, workspace.name, agent);
      return {
        url: `${origin}/`,
        origin,
        cookies: [{ name: SESSION_COOKIE, value: cookie, path: '/', httpOnly: true, secure: true }],
        certificateSha256: fingerprint,
        release: () => Promise.resolve(agent.destroy()),
      };
    } finally {
      agent.destroy();
    }
  }

  /**
   * The first time, the certificate is read over the SSH tunnel: that path
   * is authenticated by Lightsail (certificate and host key), so what it
   * shows is the instance's own certificate, and that is what gets pinned.
   */
  async #learnCertificate(workspace: Workspace): Promise<string> {
    const side = await this.deps.openSideTunnel(tunnelTargetOf(workspace), (point) => point.directTarget ?? point.tunnelTarget);
    try {
      const { fingerprint256 } = await presentedCertificate('127.0.0.1', side.localPort);
      await this.deps.pins.set({ name: workspace.name, region: workspace.region }, fingerprint256);
      return fingerprint256;
    } finally {
      await side.close();
    }
  }
}
