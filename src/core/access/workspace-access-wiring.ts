import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { withFileLock } from '../fs/file-lock.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { WorkspaceEngine } from '../workspaces/workspace-engine.js';
import { type CertificatePins, PortholeWorkspaceAccess } from './porthole-workspace-access.js';
import { type ProcessRunner, systemProcessRunner } from './process-runner.js';
import { type SshEndpointResolver, awsEndpointResolver, sandboxEndpointResolver } from './ssh-endpoint-resolver.js';
import type { FirewallFollower } from '../workspaces/firewall-follow.js';
import { type SshTunnelDependencies, type TunnelTarget, openSshTunnel, tunnelTargetOf } from './ssh-tunnel.js';
import { TunnelManager, type TunnelManagerOptions } from './tunnel-manager.js';

export interface AccessWiringOptions {
  engine: WorkspaceEngine;
  gateway: Pick<LightsailGateway, 'getAccessDetails'>;
  /** The sandbox's lightsail-local endpoint, when the account is the Sandbox. */
  sandboxEndpoint?: string;
  settings: SettingsStore;
  runner?: ProcessRunner;
  tunnelOptions?: TunnelManagerOptions;
  /** Follows this computer's address in the workspace's SSH rule when the tunnel cannot connect (the account engine's). */
  firewall?: Pick<FirewallFollower, 'guard'>;
}

export interface AccessParts {
  access: PortholeWorkspaceAccess;
  tunnels: TunnelManager;
  tunnel: SshTunnelDependencies;
}

export function endpointResolver(sandboxEndpoint: string | undefined): SshEndpointResolver {
  return sandboxEndpoint ? sandboxEndpointResolver(sandboxEndpoint) : awsEndpointResolver;
}

/** Access for one account's engine, wired the same in the app and the CLI. */
export function wireWorkspaceAccess(options: AccessWiringOptions): AccessParts {
  const tunnel: SshTunnelDependencies = { gateway: options.gateway, resolver: endpointResolver(options.sandboxEndpoint), runner: options.runner ?? systemProcessRunner };
  const open = (target: TunnelTarget, localPort?: number) => openSshTunnel(tunnel, target, undefined, localPort);
  const { firewall } = options;
  const account = options.engine.account;
  // The record on disk, not the engine's last refresh: a restore in place run by another process (the CLI) moves the tunnel too.
  const locate = (target: TunnelTarget): TunnelTarget => {
    const record = options.settings.findWorkspace({ account, region: target.region, name: target.workspace });
    return record ? tunnelTargetOf(record) : target;
  };
  const opener = firewall ? (target: TunnelTarget, localPort?: number) => firewall.guard({ name: target.workspace, region: target.region }, () => open(target, localPort)) : open;
  const tunnels = new TunnelManager(opener, { locate, ...options.tunnelOptions });
  // The same lock the engine's records take, so a pin never loses a record written at the same time.
  const lock = `${options.settings.path}.lock`;
  const pins: CertificatePins = {
    get: (ref) => options.settings.get().workspaces.find((w) => w.account === account && w.name === ref.name && (!ref.region || w.region === ref.region))?.certificateSha256,
    set: (ref, fingerprint256) =>
      withFileLock(lock, async () => {
        const record = options.settings.get().workspaces.find((w) => w.account === account && w.name === ref.name && (!ref.region || w.region === ref.region));
        if (record) options.settings.saveWorkspace({ ...record, certificateSha256: fingerprint256 });
      }),
  };
  const access = new PortholeWorkspaceAccess({
    engine: options.engine,
    tunnels,
    resolver: tunnel.resolver,
    openSideTunnel: (target, forward) => openSshTunnel(tunnel, target, forward),
    pins,
  });
  return { access, tunnels, tunnel };
}
