import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { until } from '../support/code-server-bin.js';
import { porthole, PORTHOLE_BIN, startSandboxEmulator } from '../support/porthole-cli.js';

export interface RunningUi {
  url: string;
  origin: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** `porthole ui --no-open` (or `porthole app --no-open`) as a user runs it, until stopped; its address is the line it prints. */
export async function startPortholeUi(env: NodeJS.ProcessEnv, command: 'ui' | 'app' = 'ui'): Promise<RunningUi> {
  const child: ChildProcess = spawn(process.execPath, [PORTHOLE_BIN, command, '--no-open'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`porthole ui exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A private X display (Xvfb, unix socket only) so the clipboard the
 * password goes to is a real one, read back with xclip like any program would.
 * Xvfb picks a free display number itself and writes it to `-displayfd`
 * once clients can connect: suites that run side by side never share a
 * display (and so a clipboard), as guessing a number and checking for its
 * lock could when two guessed alike.
 */
export async function startXDisplay(): Promise<{ display: string; alive(): boolean; stop(): Promise<void> }> {
  // -noreset: by default the server resets when its last client leaves, and drops a client still connecting at that
  // moment ("Can't open display"); the suite's clipboard reader and the app's copy connect at the same time.
  const child = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-noreset', '-screen', '0', '1280x800x24'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let said = '';
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const number = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Xvfb named no display within 10 s: ${errors.trim()}`)), 10_000);
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('\n')) {
        clearTimeout(timer);
        resolve(said.trim());
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb ended (${code}) before naming its display: ${errors.trim()}`)));
  });
  return {
    display: `:${number}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function readClipboard(display: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // An owner that never answers would hold xclip, and the suite's wait with it.
    const child = spawn('xclip', ['-o', '-selection', 'clipboard'], { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5_000 });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`xclip exited with ${code ?? signal}`))));
  });
}

/** The desktop's URL opener (`xdg-open` in `bin`, to put first on PATH) standing in for the system browser: it keeps each link it is given. */
export async function recordingUrlOpener(home: string): Promise<{ bin: string; links(): Promise<string[]> }> {
  const bin = join(home, 'bin');
  const opened = join(home, 'opened.txt');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  return { bin, links: async () => (await readFile(opened, 'utf8').catch(() => '')).split('\n').filter((line) => line.length > 0) };
}

export interface ServedWorkspace {
  emulator: { endpoint: string; stop(): Promise<void> };
  ui: RunningUi;
  browser: Browser;
  /** Closes the browser and the dashboard, deletes the workspace (and `alsoDelete`), and stops lightsail-local. */
  close(): Promise<void>;
}

/**
 * What the dashboard suites that act on a real workspace start from: the
 * Sandbox of `env`'s home at `timeScale`, one workspace made by
 * `porthole create NAME ...createArgs` (with its processes up, unless
 * `waitForProcesses` is false), `porthole ui` serving it, and a Chromium.
 */
export async function serveSandboxWorkspace(
  env: NodeJS.ProcessEnv,
  name: string,
  options: { timeScale: number; createArgs?: string[]; waitForProcesses?: boolean; alsoDelete?: string[] },
): Promise<ServedWorkspace> {
  const emulator = await startSandboxEmulator(env, options.timeScale);
  let ui: RunningUi | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await ui?.stop();
    for (const workspace of [name, ...(options.alsoDelete ?? [])]) await porthole(['delete', workspace, '--yes'], env);
    await emulator.stop();
  };
  try {
    const create = await porthole(['create', name, ...(options.createArgs ?? [])], env);
    if (create.code !== 0) throw new Error(`porthole create ${name} failed: ${create.stderr}`);
    if (options.waitForProcesses !== false) {
      await until(`${name} to run`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${name}/endpoints`)).ok ? true : undefined), 60_000);
    }
    ui = await startPortholeUi(env);
    browser = await launchChromium();
    return { emulator, ui, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}
