import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import type { AccessDetails } from '../cloud/model.js';
import { PortholeError } from '../errors.js';
import type { FirewallFollower } from '../workspaces/firewall-follow.js';
import { certificateValidity } from './certificate-validity.js';
import type { ProcessRunner, RunningProcess } from './process-runner.js';
import type { HostPort, InstanceAccessPoint, SshEndpointResolver } from './ssh-endpoint-resolver.js';
import { expiredCertificate, sshFailure, sshLoginOptions, writeSshLoginFiles } from './ssh-login-files.js';
import { sshAnswers } from './ssh-reachability.js';

/** The instance behind a workspace: `instance` when it is not named like the workspace (after a restore in place). */
export interface TunnelTarget {
  workspace: string;
  region: string;
  instance?: string;
}

/** Where a workspace's tunnel, SSH login and status reads go. */
export function tunnelTargetOf(workspace: { name: string; region: string; instanceName?: string | undefined }): TunnelTarget {
  return { workspace: workspace.name, region: workspace.region, ...(workspace.instanceName !== undefined && workspace.instanceName !== workspace.name ? { instance: workspace.instanceName } : {}) };
}

/** One tunnel per workspace instance: a new instance (a restore in place) gets a tunnel of its own. */
export function tunnelKey(target: TunnelTarget): string {
  return `${target.region}/${target.workspace}${target.instance ? `/${target.instance}` : ''}`;
}

export interface SshTunnelDependencies {
  gateway: Pick<LightsailGateway, 'getAccessDetails'>;
  resolver: SshEndpointResolver;
  runner: ProcessRunner;
  now?: () => Date;
  /** The OpenSSH client; `ssh` from PATH by default. */
  sshCommand?: string;
  connectTimeoutMs?: number;
}

/** One running `ssh -N -L`: code-server of the instance on 127.0.0.1:localPort here. */
export interface SshTunnel {
  localPort: number;
  point: InstanceAccessPoint;
  process: RunningProcess;
  /** ssh's control socket (in a private folder): more forwards ride this connection with `ssh -S … -O forward`, no new login. */
  controlPath: string;
  close(): Promise<void>;
}

/**
 * What a one-off SSH run (a shell, a log read, a copy) needs: given the
 * firewall follower, it first checks that the box's sshd answers, and
 * moves the workspace's SSH rule to this computer's new address when not.
 */
export type BoxAccessDependencies = Pick<SshTunnelDependencies, 'gateway' | 'resolver' | 'now'> & { firewall?: Pick<FirewallFollower, 'guard'> };

/** A fresh Lightsail login for the workspace's instance, refused here already when its certificate is out of date. */
export async function freshAccess(deps: BoxAccessDependencies, target: TunnelTarget): Promise<{ details: AccessDetails; point: InstanceAccessPoint }> {
  const instance = target.instance ?? target.workspace;
  const details = await deps.gateway.getAccessDetails(target.region, instance);
  const now = deps.now?.() ?? new Date();
  const validBefore = certificateValidity(details.certificate)?.validBefore ?? details.expiresAt;
  if (validBefore && validBefore.getTime() <= now.getTime()) throw expiredCertificate(target.workspace, validBefore);
  const point = await deps.resolver.resolve(target.region, instance, details.ipAddress);
  await deps.firewall?.guard({ name: target.workspace, region: target.region }, () => sshAnswers(target.workspace, point.ssh));
  return { details, point };
}

/** The name host keys are filed under in Porthole's generated known_hosts and ssh config. */
export function hostAlias(target: TunnelTarget): string {
  return `porthole-${target.region}-${target.workspace}`;
}

/**
 * Opens a tunnel with the system OpenSSH client and a fresh certificate.
 * Resolves once the local port forwards; fails with ssh's reason in the
 * user's words (a changed host key, an expired certificate) otherwise.
 * The key files are removed as soon as ssh has logged in.
 */
export async function openSshTunnel(deps: SshTunnelDependencies, target: TunnelTarget, forward: (point: InstanceAccessPoint) => HostPort = (p) => p.tunnelTarget, localPort?: number): Promise<SshTunnel> {
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  // Its own folder, not the login files' (removed once ssh has logged in): the socket lives as long as the tunnel.
  const controlDir = await mkdtemp(join(tmpdir(), 'porthole-mux-'));
  const controlPath = join(controlDir, 'control');
  const removeControl = () => rm(controlDir, { recursive: true, force: true });
  try {
    const port = localPort ?? (await freeLoopbackPort());
    const to = forward(point);
    const control = ['-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=no'];
    const args = ['-N', '-T', '-o', 'ExitOnForwardFailure=yes', ...control, '-L', `127.0.0.1:${port}:${to.host}:${to.port}`, ...sshLoginOptions(files, point, details.username)];
    const process = deps.runner.start(deps.sshCommand ?? 'ssh', args);
    void process.exited.then(removeControl);
    const forwarding = await Promise.race([
      waitForListener(port, deps.connectTimeoutMs ?? 30_000, process).then(() => true),
      process.exited.then(() => false),
    ]);
    if (!forwarding) throw sshFailure(target.workspace, process.stderr(), details, deps.now?.() ?? new Date());
    return {
      localPort: port,
      point,
      process,
      controlPath,
      close: async () => {
        process.kill();
        await process.exited;
      },
    };
  } catch (error) {
    await removeControl();
    throw error;
  } finally {
    await files.remove();
  }
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until the port accepts; ssh binds it only after logging in (ExitOnForwardFailure). */
async function waitForListener(port: number, timeoutMs: number, process: RunningProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.exited.then(() => (exited = true));
  while (!exited) {
    if (await accepts(port)) return;
    if (Date.now() > deadline) {
      process.kill();
      throw new PortholeError('timeout', `The SSH tunnel did not come up within ${Math.round(timeoutMs / 1000)} s.`, {
        fix: 'Check your network connection and that the workspace is running, then try again.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  // ssh ended first: the caller reads why from its exit.
  await new Promise<never>(() => {});
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
