import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portAnswers } from '../../src/emulator/runtime/processes.js';
import { launchChromium } from '../support/chromium.js';
import { until } from '../support/code-server-bin.js';
import { porthole, PORTHOLE_BIN, startCliWorkspace, type CliWorkspace } from '../support/porthole-cli.js';
import { freePortIn } from '../support/workspace-dev-server.js';
import { openRecordedDashboard, type DashboardPage } from './dashboard-page.js';
import { readClipboard, recordingUrlOpener, startPortholeUi, startXDisplay, type RunningUi } from './dashboard-server.js';

const NAME = 'demo';
const STEP = { timeout: 60_000 };

/**
 * The Ports panel in headless Chromium against the real `porthole ui`, on a
 * Sandbox workspace that really runs: a python http.server started in it
 * with `porthole ssh demo -- …` as a user would, found by the status read
 * the open dashboard speeds up, forwarded by `porthole ui` over the tunnel's
 * ssh master. The desktop's URL opener is a script on PATH that records the
 * link; the clipboard is a private X server's, read back with xclip.
 */
describe('dashboard: the Ports panel', () => {
  let workspace: CliWorkspace;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let opener: Awaited<ReturnType<typeof recordingUrlOpener>>;
  let x: Awaited<ReturnType<typeof startXDisplay>>;
  let ui: RunningUi;
  let browser: Browser;
  let dashboard: DashboardPage;
  let server: ChildProcess | undefined;
  let serverPid: number;
  let port: number;
  const frames: string[] = [];
  const problems: string[] = [];

  /** The panel's line of the server's port. */
  const line = (): Locator => dashboard.page.getByRole('region', { name: `Ports of ${NAME}` }).locator(`tr[data-port="${port}"]`);
  const cell = (column: number) => line().locator('td').nth(column);

  beforeAll(async () => {
    x = await startXDisplay();
    workspace = await startCliWorkspace(NAME, 'porthole-ui-ports-', async (dir) => {
      opener = await recordingUrlOpener(dir);
      return { PATH: `${opener.bin}:${process.env.PATH ?? ''}`, DISPLAY: x.display, WAYLAND_DISPLAY: '' };
    });
    ({ home, env } = workspace);
    ui = await startPortholeUi(env);
    browser = await launchChromium();
    dashboard = await openRecordedDashboard(browser, ui.url, frames, problems);
    await dashboard.waitForState(NAME, 'ready');
  }, 240_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await browser?.close();
    await ui?.stop();
    await workspace?.close();
    await x?.stop();
  });

  it('shows a server started in the workspace with its process, forwarded by itself to a local address that serves it', async () => {
    const site = join(home, 'site');
    await mkdir(site);
    await writeFile(join(site, 'hello.txt'), 'hello from demo\n');
    port = await freePortIn(3000, 9999);
    // As the issue has it: porthole ssh demo -- python3 -m http.server PORT; the shell's pid first, to stop it by later.
    server = spawn(process.execPath, [PORTHOLE_BIN, 'ssh', NAME, '--', `sh -c 'echo $$; exec python3 -m http.server ${port} --bind 127.0.0.1 --directory ${site}'`], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    serverPid = await new Promise<number>((resolve, reject) => {
      server!.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      server!.once('exit', (code) => reject(new Error(`porthole ssh ended (${code})`)));
    });
    await until('the server', async () => ((await portAnswers(port)) ? true : undefined), 30_000);

    await line().locator('td.local-address', { hasText: 'http://127.0.0.1:' }).waitFor(STEP);
    await expect(cell(0).textContent()).resolves.toBe('python3');
    await expect(cell(2).textContent()).resolves.toBe('auto');
    const address = (await cell(1).textContent())!;
    // The box's own server holds its port on this shared loopback: the forward is on another one.
    expect(address).not.toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${address}/hello.txt`)).text()).toBe('hello from demo\n');
  }, 120_000);

  it('Open in browser hands the system browser the local address, which serves the workspace page; Copy address puts it on the clipboard', async () => {
    const address = (await cell(1).textContent())!;
    await line().getByRole('button', { name: 'Open in browser', exact: true }).click();
    const link = await until('the link', async () => (await opener.links())[0], 30_000);
    expect(link).toBe(`${address}/`);
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByRole('link', { name: 'hello.txt' }).waitFor();
    await page.close();

    await line().getByRole('button', { name: 'Copy address', exact: true }).click();
    let onClipboard = '';
    await until(
      'the address on the clipboard',
      async () => ((onClipboard = await readClipboard(x.display).catch((error: Error) => `(${error.message})`)) === address ? true : undefined),
      30_000,
      () => ({ onClipboard, address, xvfbAlive: x.alive(), answers: frames.filter((frame) => frame.includes('"copied"') || frame.includes('"error"')).slice(-3) }),
    );
  }, 60_000);

  it('Stop forwarding removes the forward and keeps it off, while the port stays listed', async () => {
    const address = (await cell(1).textContent())!;
    await line().getByRole('button', { name: 'Stop forwarding', exact: true }).click();
    await line().getByRole('button', { name: 'Forward', exact: true }).waitFor(STEP);
    await expect(cell(1).textContent()).resolves.toBe('—');
    await expect(cell(2).textContent()).resolves.toBe('no');
    await expect(fetch(`${address}/hello.txt`)).rejects.toThrow();
    // The CLI sees what porthole ui holds: the port listens, and nothing forwards it.
    const listed = JSON.parse((await porthole(['--json', 'ports', NAME], env)).stdout) as { forwarding: boolean; ports: Array<{ port: number; origin?: string }> };
    expect(listed.forwarding).toBe(true);
    expect(listed.ports.find((p) => p.port === port)).toEqual({ port, process: 'python3', listening: true });
  }, 60_000);

  it('drops the port from the panel once the server stops', async () => {
    const kill = await porthole(['ssh', NAME, '--', `kill ${serverPid}`], env);
    expect(kill.code, kill.stderr).toBe(0);
    await line().waitFor({ state: 'detached', ...STEP });
    expect(problems).toEqual([]);
    expect(frames.some((frame) => frame.includes('"portsChanged"'))).toBe(true);
  }, 90_000);
});
