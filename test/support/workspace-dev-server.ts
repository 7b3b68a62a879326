import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { sandboxEndpointResolver } from '../../src/core/access/ssh-endpoint-resolver.js';
import { sshLoginOptions, writeSshLoginFiles } from '../../src/core/access/ssh-login-files.js';
import { freshAccess, hostAlias } from '../../src/core/access/ssh-tunnel.js';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import { localPortFree } from '../../src/core/ports/port-forwarder.js';
import { portAnswers } from '../../src/emulator/runtime/processes.js';
import { until } from './code-server-bin.js';

/** A sandbox workspace reached over SSH as `porthole ssh NAME -- …` reaches it: a fresh certificate, the pinned host key. */
export interface WorkspaceShell {
  gateway: Pick<LightsailGateway, 'getAccessDetails'>;
  sandboxEndpoint: string;
  workspace: string;
  region: string;
}

export async function onWorkspace(shell: WorkspaceShell, command: string): Promise<ChildProcess> {
  const target = { workspace: shell.workspace, region: shell.region };
  const deps = { gateway: shell.gateway, resolver: sandboxEndpointResolver(shell.sandboxEndpoint) };
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  const child = spawn('ssh', ['-T', ...sshLoginOptions(files, point, details.username), command], { stdio: ['ignore', 'pipe', 'pipe'] });
  // ssh reads the key only while logging in; the server's pid line means it has.
  child.stdout!.once('data', () => void files.remove());
  child.once('exit', () => void files.remove());
  return child;
}

/**
 * Runs `command` (which ends in `exec` of the server) on the workspace after
 * printing its shell's pid; resolves with that pid and the ssh session once
 * every one of `ports` listens.
 */
export async function startWorkspaceServer(shell: WorkspaceShell, folder: string, command: string, ports: readonly number[]): Promise<{ pid: number; session: ChildProcess }> {
  const session = await onWorkspace(shell, `cd ${folder} && sh -c 'echo $$; ${command}'`);
  let stderr = '';
  let ended: string | undefined;
  session.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  session.once('exit', (code, signal) => (ended = `the server's ssh session ended (${signal ?? code}) before ${ports.join(', ')} listened`));
  const pid = await new Promise<number>((resolve, reject) => {
    session.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    session.once('exit', () => setImmediate(() => reject(new Error(`${ended}${stderr.trim() ? `; it said:\n${stderr.trim()}` : ''}`))));
  });
  for (const port of ports) {
    await until(`the server on ${port}`, async () => {
      if (ended !== undefined) throw new Error(ended);
      return (await portAnswers(port)) ? true : undefined;
    }, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}${stderr.trim() ? `; the server said:\n${stderr.trim()}` : ''}`);
    });
  }
  return { pid, session };
}

/** `python3 -m http.server PORT` on the workspace, serving `folder`. */
export function startHttpServer(shell: WorkspaceShell, port: number, folder: string): Promise<{ pid: number; session: ChildProcess }> {
  return startWorkspaceServer(shell, folder, `exec python3 -m http.server ${port} --bind 127.0.0.1`, [port]);
}

export async function stopWorkspaceServer(shell: WorkspaceShell, pid: number): Promise<void> {
  const kill = await onWorkspace(shell, `kill ${pid}`);
  await new Promise((resolve) => kill.once('exit', resolve));
}

/**
 * A port no program of this machine holds, in [from, to]. Keep the range
 * below the kernel's ephemeral ports (32768 and up): any outgoing
 * connection may take one of those before the server binds it.
 */
export async function freePortIn(from: number, to: number): Promise<number> {
  for (;;) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await localPortFree(port)) return port;
  }
}

/** The pids of ssh processes naming `controlPath`: a tunnel's one master, however many ports it forwards. */
export function sshProcessesOf(controlPath: string): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[1] === 'ssh' && words.some((word) => word.includes(controlPath)))
    .map((words) => Number(words[0]));
}
