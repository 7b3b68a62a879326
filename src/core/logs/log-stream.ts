import { spawn, type ChildProcess } from 'node:child_process';
import type { LogLine } from '../../shared/workspace-log.js';
import { PortholeError } from '../errors.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from '../access/ssh-login-files.js';
import { type BoxAccessDependencies, freshAccess, hostAlias, type TunnelTarget } from '../access/ssh-tunnel.js';
import { LogLineSplitter } from './log-lines.js';
import { LOG_READ_STARTED, logReadCommand, type LogRead, type LogSource } from './log-sources.js';

export interface LogStreamDependencies extends BoxAccessDependencies {
  /** The OpenSSH client; `ssh` from PATH by default. */
  sshCommand?: string;
}

export interface LogStreamRequest extends LogRead {
  sources: readonly LogSource[];
}

/** A read of a workspace's logs under way. */
export interface LogStream {
  /** Resolves when every source has ended (at once without `follow`; on `stop` with it); rejects with ssh's reason. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const STDERR_LIMIT = 8_192;

/**
 * Reads a workspace's logs over SSH with one fresh Lightsail certificate: an
 * ssh run per source (so each stays in its own order and a source's bytes
 * need no tagging on the box), all from one private key folder, removed as
 * soon as every run has logged in. Lines arrive in batches, each batch from
 * one source.
 */
export async function streamLogs(deps: LogStreamDependencies, target: TunnelTarget, request: LogStreamRequest, onLines: (lines: LogLine[]) => void): Promise<LogStream> {
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  let removed: Promise<void> | undefined;
  const removeFiles = () => (removed ??= files.remove());
  const children: ChildProcess[] = [];
  let loggedIn = 0;
  let stopping = false;
  const runs = request.sources.map(
    (source) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(deps.sshCommand ?? 'ssh', ['-T', '-o', 'ClearAllForwardings=yes', ...sshLoginOptions(files, point, details.username), logReadCommand(source, request)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        const splitter = new LogLineSplitter(source, request.since);
        let started = false;
        let head = '';
        let stderr = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          if (!started) {
            head += chunk;
            const newline = head.indexOf('\n');
            if (newline < 0) return;
            // Anything before the marker is the login shell's own chatter (a banner, a profile script).
            const marker = head.indexOf(`${LOG_READ_STARTED}\n`);
            if (marker < 0) return void (head = head.slice(newline + 1));
            started = true;
            chunk = head.slice(marker + LOG_READ_STARTED.length + 1);
            head = '';
            if (++loggedIn === request.sources.length) void removeFiles();
          }
          const lines = splitter.push(chunk);
          if (lines.length > 0) onLines(lines);
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT)));
        child.once('error', (error) => reject(new PortholeError('usage', `Could not run ssh to read the logs of ${target.workspace}: ${error.message}`, { fix: 'Install the OpenSSH client ("sudo apt-get install openssh-client").' })));
        child.once('close', (code) => {
          const rest = splitter.end();
          if (rest.length > 0) onLines(rest);
          if (stopping || (started && code === 0)) return resolve();
          // 255 is ssh's own failure; anything else is the read on the box.
          if (!started || code === 255) return reject(sshFailure(target.workspace, stderr, details, deps.now?.() ?? new Date()));
          reject(new PortholeError('service', `Reading the ${source} log of ${target.workspace} failed: ${stderr.trim().split('\n').at(-1) ?? `exit ${code}`}`, { fix: 'Check that the workspace is ready, then try again.' }));
        });
      }),
  );
  const stop = async () => {
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.allSettled(runs);
    await removeFiles();
  };
  const done = Promise.all(runs).then(
    async () => {
      await removeFiles();
    },
    async (error: unknown) => {
      await stop();
      throw error;
    },
  );
  return { done, stop: async () => {
    await stop();
    await done.catch(() => undefined);
  } };
}
