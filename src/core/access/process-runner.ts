import { spawn } from 'node:child_process';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A process Porthole started and watches: its exit and what it said on stderr. */
export interface RunningProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<ProcessExit>;
  stderr(): string;
  kill(): void;
}

/** Starts outside programs (ssh); an interface so the tunnel does not care how. */
export interface ProcessRunner {
  start(command: string, args: readonly string[]): RunningProcess;
}

/** Keeps the last few KB of stderr: enough for ssh's reason, bounded for a long-lived tunnel. */
const STDERR_LIMIT = 16 * 1024;
const KILL_GRACE_MS = 2_000;

export const systemProcessRunner: ProcessRunner = {
  start(command, args) {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_LIMIT);
    });
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('error', (error) => {
        stderr += `\n${error.message}`;
        resolve({ code: -1, signal: null });
      });
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return {
      pid: child.pid,
      exited,
      stderr: () => stderr,
      kill: () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        // A stopped or wedged process leaves SIGTERM pending; SIGKILL ends it regardless.
        const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        force.unref();
        void exited.then(() => clearTimeout(force));
      },
    };
  },
};
