import { connect } from 'node:net';
import { PortholeError } from '../errors.js';
import type { HostPort } from './ssh-endpoint-resolver.js';

/** Long enough for a slow link, short enough that a firewall's silent drop is noticed before ssh's own 15 s. */
const BANNER_TIMEOUT_MS = 8_000;

/**
 * Resolves once the workspace's sshd greets this computer with its banner
 * ("SSH-2.0-…"): the one sign that a connection gets through the firewall,
 * since a firewall in front may take the connection and then reset it. A
 * `network` error otherwise, which the firewall follower acts on.
 */
export function sshAnswers(workspace: string, at: HostPort, timeoutMs = BANNER_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: at.host, port: at.port });
    let greeting = '';
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new PortholeError('network', `The SSH port of ${workspace} at ${at.host}:${at.port} did not answer: ${why}.`, {
          fix: `Check your network connection and that this computer's address is allowed ("porthole firewall ${workspace}" lists who may connect), then try again.`,
        }),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no greeting within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`));
    socket.on('data', (chunk: Buffer) => {
      greeting += chunk.toString('latin1');
      if (greeting.length < 4) return;
      socket.destroy();
      if (greeting.startsWith('SSH-')) resolve();
      else fail('something other than an SSH server answered');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'ECONNRESET' ? 'the connection was reset' : error.message));
    socket.once('end', () => fail('the connection was closed before the server said anything'));
  });
}
