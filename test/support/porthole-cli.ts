import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PORTHOLE_BIN = fileURLToPath(new URL('../../bin/porthole.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `porthole` binary, without a terminal, as a script would. */
export function porthole(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PORTHOLE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `porthole emulator` serving the Sandbox account of `env.PORTHOLE_HOME` until stopped. */
export async function startSandboxEmulator(env: NodeJS.ProcessEnv, timeScale: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [PORTHOLE_BIN, '--json', 'emulator', '--time-scale', String(timeScale)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { endpoint: string }).endpoint);
    });
    child.on('exit', (code) => reject(new Error(`porthole emulator exited with ${code}`)));
  });
  return {
    endpoint,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CliWorkspace {
  home: string;
  env: NodeJS.ProcessEnv;
  emulator: { endpoint: string; stop(): Promise<void> };
  /** Deletes the workspace, stops the emulator and removes the home. */
  close(): Promise<void>;
}

/**
 * A private home with `porthole emulator` serving its Sandbox and one workspace made by `porthole create`, its sshd and code-server up;
 * `moreEnv` adds to the commands' environment (a PATH, a DISPLAY), given the home.
 */
export async function startCliWorkspace(name: string, prefix: string, moreEnv: (home: string) => Promise<NodeJS.ProcessEnv> = async () => ({})): Promise<CliWorkspace> {
  const { codeServerBin, until } = await import('./code-server-bin.js');
  codeServerBin();
  const home = await mkdtemp(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home, ...(await moreEnv(home)) };
  const emulator = await startSandboxEmulator(env, 20);
  const create = await porthole(['create', name], env);
  if (create.code !== 0) throw new Error(`porthole create ${name} failed: ${create.stderr}`);
  await until(`${name} to run`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${name}/endpoints`)).ok ? true : undefined), 60_000);
  return {
    home,
    env,
    emulator,
    close: async () => {
      await porthole(['delete', name, '--yes'], env);
      await emulator.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A running `porthole open NAME --print-url`: its one-time link, what it says on stderr so far, and Ctrl-C. */
export interface OpenRun {
  url: string;
  stderr(): string;
  interrupt(): Promise<void>;
}

export async function startPortholeOpen(name: string, env: NodeJS.ProcessEnv): Promise<OpenRun> {
  const open = spawn(process.execPath, [PORTHOLE_BIN, 'open', name, '--print-url'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  open.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => open.once('exit', resolve));
  const interrupt = async () => {
    if (open.exitCode === null && open.signalCode === null) open.kill('SIGINT');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      open.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      void exited.then((code) => reject(new Error(`porthole open exited with ${code}: ${stderr}`)));
    });
    return { url, stderr: () => stderr, interrupt };
  } catch (error) {
    await interrupt();
    throw error;
  }
}
