import { execFile } from 'node:child_process';
import { PortholeError } from '../errors.js';

/** One port of the instance reached on 127.0.0.1 here. */
export interface LocalForward {
  localPort: number;
  /** Where on the instance: its IPv4 or IPv6 loopback. */
  host: '127.0.0.1' | '::1';
  port: number;
}

/** The `-L` spec of a forward; an IPv6 address goes in brackets. */
export function forwardSpec(forward: LocalForward): string {
  const host = forward.host.includes(':') ? `[${forward.host}]` : forward.host;
  return `127.0.0.1:${forward.localPort}:${host}:${forward.port}`;
}

/** The master binds the control socket a moment after its own forwards; asks meanwhile meet no socket yet. */
const NO_SOCKET = /No such file or directory|Connection refused/;
const SOCKET_WAIT_MS = 3_000;

/**
 * Adds (`forward`) or removes (`cancel`) a forward on a running ssh master
 * through its control socket: the same connection and login, no new one.
 * A local port already taken is a PortholeError of kind `name-taken`.
 */
export async function controlForward(controlPath: string, action: 'forward' | 'cancel', forward: LocalForward, sshCommand = 'ssh'): Promise<void> {
  // The destination is only a name here: with -S the master's connection is used, nothing is resolved.
  const args = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-S', controlPath, '-O', action, '-L', forwardSpec(forward), 'porthole-workspace'];
  const deadline = Date.now() + SOCKET_WAIT_MS;
  for (;;) {
    const stderr = await run(sshCommand, args);
    if (stderr === undefined) return;
    if (NO_SOCKET.test(stderr) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (/forwarding request failed|Port forwarding failed/i.test(stderr) && action === 'forward') {
      throw new PortholeError('name-taken', `Port ${forward.localPort} on this computer could not be taken for port ${forward.port} of the workspace.`, {
        fix: 'Another program listens there; choose another local port (porthole forward NAME PORT:LOCAL).',
      });
    }
    throw new PortholeError('network', `The workspace's SSH connection refused to ${action === 'forward' ? 'forward' : 'stop forwarding'} port ${forward.port}: ${lastLine(stderr)}`, {
      fix: 'Porthole reconnects the tunnel by itself; try again in a moment.',
    });
  }
}

/** Resolves with ssh's stderr when it failed, undefined when it succeeded. */
function run(command: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined);
      const killed = (error as { killed?: boolean }).killed === true;
      resolve(stderr.trim() || (killed ? 'ssh did not answer within 10 s' : 'ssh failed without a message'));
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? 'no message';
}
