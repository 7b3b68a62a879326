import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type CliWorkspace, porthole, startCliWorkspace } from '../support/porthole-cli.js';
import { DashboardPage, openRecordedDashboard } from './dashboard-page.js';
import { readClipboard, startPortholeUi, startXDisplay, type RunningUi } from './dashboard-server.js';
import { LogViewerPage } from './log-viewer-page.js';

// Real sshd, code-server and Chromium on a loaded 2-core machine.
vi.setConfig({ testTimeout: 90_000 });

const NAME = 'logview';
const BIG = 30_000;

/**
 * The dashboard's log viewer and Export diagnostics, in headless Chromium
 * against `porthole ui` and a Sandbox workspace whose box writes real logs
 * (its launch script, code-server, sshd in the system log).
 */
describe('log viewer and diagnostics in the dashboard', () => {
  let workspace: CliWorkspace | undefined;
  let env: NodeJS.ProcessEnv;
  let x: { display: string; stop(): Promise<void> } | undefined;
  let ui: RunningUi | undefined;
  let browser: Browser | undefined;
  let dashboard: DashboardPage;
  let viewer: LogViewerPage;
  const frames: string[] = [];
  const pageProblems: string[] = [];

  const onBox = async (script: string) => {
    const run = await porthole(['ssh', NAME, '--', 'sh', '-c', `'${script.replaceAll("'", `'\\''`)}'`], env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const appendLaunchLog = (text: string) => onBox(`echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: ${text}" >>"$PORTHOLE_STATE_DIR/launch.log"`);

  beforeAll(async () => {
    workspace = await startCliWorkspace(NAME, 'porthole-ui-logs-');
    x = await startXDisplay();
    // DISPLAY: the clipboard copied lines go to is this private X server's.
    env = { ...workspace.env, DISPLAY: x.display, WAYLAND_DISPLAY: '' };
    ui = await startPortholeUi(env);
    browser = await launchChromium();
    dashboard = await openRecordedDashboard(browser, ui.url, frames, pageProblems);
    await dashboard.waitForState(NAME, 'ready');
    viewer = new LogViewerPage(dashboard.page, NAME);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await workspace?.close();
    await x?.stop();
  });

  it('opens from the workspace menu on the provisioning steps, code-server and the system log, each line with its source; search marks a line', async () => {
    await dashboard.act('Logs', NAME);
    await expect.poll(() => viewer.lineCount(), { timeout: 30_000 }).toBeGreaterThan(5);
    expect(await viewer.following()).toBe(true);
    for (const [text, source] of [
      ['step 1 of 4: apply the layers', 'provision'],
      ['HTTP server listening on http://127.0.0.1:', 'code-server'],
      ['Accepted publickey for', 'system'],
    ]) {
      await viewer.search(text!);
      const row = viewer.row(text!).first();
      await row.waitFor({ timeout: 30_000 });
      expect(await row.getAttribute('data-source')).toBe(source);
      expect(await row.locator('mark').textContent()).toBe(text);
    }
    await viewer.search('');
  });

  it('follows a line appended on the box to the end of the view, the password in it redacted', async () => {
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    await appendLaunchLog(`written while the viewer follows, password ${password}`);
    const line = viewer.row('written while the viewer follows');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.textContent()).toContain('written while the viewer follows, password [redacted]');
    await expect.poll(() => line.isVisible()).toBe(true);
    expect(await viewer.following()).toBe(true);
  });

  it('filters by source: code-server alone, then every log again', async () => {
    const all = await viewer.lineCount();
    await viewer.showOnly('code-server');
    await expect.poll(() => viewer.lineCount()).toBeLessThan(all);
    const sources = await viewer.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-source')));
    expect(sources.length).toBeGreaterThan(0);
    expect(new Set(sources)).toEqual(new Set(['code-server']));
    await viewer.showOnly('provision', 'code-server', 'idle', 'system');
    // Every line back, and any the box wrote meanwhile (sshd and the idle agent keep logging).
    await expect.poll(() => viewer.lineCount()).toBeGreaterThanOrEqual(all);
  });

  it('copies the lines selected with a click and a Shift+click to the desktop clipboard', async () => {
    await viewer.showOnly('provision');
    const first = viewer.row(/porthole: step 1 of 4: apply the layers/);
    const second = viewer.row(/porthole: step 2 of 4: /);
    const expected = [await first.locator('.log-text').textContent(), await second.locator('.log-text').textContent()];
    const between = await viewer.rows().evaluateAll((rows, [a, b]) => {
      const texts = rows.map((row) => row.querySelector('.log-text')?.textContent ?? '');
      return texts.slice(texts.indexOf(a!), texts.indexOf(b!) + 1);
    }, expected);
    await first.click();
    await second.click({ modifiers: ['Shift'] });
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await viewer.button('Copy selection').click();
    await viewer.dialog.getByText(`${between.length} lines copied to the clipboard.`).waitFor();
    expect(await readClipboard(x!.display)).toBe(between.join('\n'));
    await viewer.showOnly('provision', 'code-server', 'idle', 'system');
  });

  it(`keeps far fewer rows in the DOM than the ${BIG.toLocaleString('en')} lines of a big log, stops following on a scroll up, and jumps back`, async () => {
    await onBox(`seq 1 ${BIG} | sed "s/^/$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: bulk line /" >>"$PORTHOLE_STATE_DIR/launch.log"`);
    await expect.poll(() => viewer.lineCount(), { timeout: 60_000 }).toBeGreaterThan(BIG);
    await viewer.row(`porthole: bulk line ${BIG}`).waitFor();
    expect(await viewer.rows().count()).toBeLessThan(120);

    await viewer.scrollUp(5_000);
    await expect.poll(() => viewer.following()).toBe(false);
    const jump = viewer.button('Jump to latest');
    await jump.waitFor();
    await appendLaunchLog('written while scrolled up');
    await expect.poll(() => viewer.lineCount()).toBeGreaterThan(BIG + 1);
    expect(await viewer.row('written while scrolled up').count()).toBe(0);
    await jump.click();
    await viewer.row('written while scrolled up').waitFor();
    expect(await viewer.following()).toBe(true);
    expect(await viewer.rows().count()).toBeLessThan(120);
    await viewer.close();
  });

  it('reopens the logs by itself when the connection to Porthole drops, and follows the box again', async () => {
    // A second page of the same session whose WebSocket the suite can cut, as a sleeping laptop or a restarted network would.
    const page = await dashboard.page.context().newPage();
    const connections: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
    await page.routeWebSocket(/\/api$/, (route) => void connections.push({ page: route, server: route.connectToServer() }));
    const second = new DashboardPage(page);
    await second.open(new URL('/', ui!.url).href);
    await second.waitForState(NAME, 'ready');
    await second.act('Logs', NAME);
    const cut = new LogViewerPage(page, NAME);
    await cut.rows().first().waitFor({ timeout: 30_000 });

    const dropped = connections.at(-1)!;
    await dropped.server.close();
    await dropped.page.close();
    await expect.poll(() => connections.length, { timeout: 30_000 }).toBeGreaterThan(1);
    await appendLaunchLog('written after the connection came back');
    const line = cut.row('written after the connection came back');
    await line.waitFor({ timeout: 30_000 });
    expect(await line.count()).toBe(1);
    await expect.poll(() => cut.dialog.getByRole('alert').count()).toBe(0);
    expect(await cut.following()).toBe(true);
    await page.close();
  });

  it('opens a failed launch at its failed step from the row, in the provisioning log alone', async () => {
    // The launch script's own failure, as its exit trap writes it: a failed marker of this launch, and the log line.
    await onBox(
      [
        'p="$PORTHOLE_STATE_DIR/progress"',
        `last=$(tail -n 1 "$p")`,
        `echo "\${last%%step *}step 2 of 4 start the idle agent failed" >>"$p"`,
        `echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: step start the idle agent failed with exit status 1" >>"$PORTHOLE_STATE_DIR/launch.log"`,
      ].join('; '),
    );
    await dashboard.waitForState(NAME, 'error');
    await dashboard.row(NAME).getByRole('button', { name: 'Show the log at step 2' }).click();
    const stepLine = viewer.row(/porthole: step 2 of 4: /).last();
    await stepLine.waitFor();
    await expect.poll(() => stepLine.getAttribute('aria-selected')).toBe('true');
    expect(await stepLine.isVisible()).toBe(true);
    const sources = await viewer.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-source')));
    expect(new Set(sources)).toEqual(new Set(['provision']));
    expect(await viewer.following()).toBe(false);
    await viewer.close();
  });

  it('exports diagnostics as a download holding the record and the logs, and no password', async () => {
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    expect(password.length).toBeGreaterThan(8);
    await appendLaunchLog(`a careless step printed password ${password}`);
    const downloading = dashboard.page.waitForEvent('download', { timeout: 60_000 });
    await dashboard.act('Export diagnostics', NAME);
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^porthole-diagnostics-${NAME}-\\d{8}T\\d{6}Z\\.tar\\.gz$`));
    await dashboard.notice('Diagnostics downloaded').waitFor();
    const unpacked = await mkdtemp(join(workspace!.home, 'diagnostics-'));
    const archive = join(unpacked, download.suggestedFilename());
    await download.saveAs(archive);
    execFileSync('tar', ['-xzf', archive, '-C', unpacked]);
    const root = join(unpacked, (await readdir(unpacked)).find((entry) => !entry.endsWith('.tar.gz'))!);
    expect(JSON.parse(await readFile(join(root, 'workspace.json'), 'utf8'))).toMatchObject({ name: NAME, region: 'us-east-1' });
    const provision = await readFile(join(root, 'logs', 'provision.log'), 'utf8');
    expect(provision).toContain(`bulk line ${BIG}`);
    expect(provision).toContain('a careless step printed password [redacted]');
    const found = spawnSync('grep', ['-r', '-F', '-e', password, unpacked], { encoding: 'utf8' });
    expect(found.status, found.stdout).toBe(1);
    // Fetched once, gone: the address does not serve it again.
    const again = await dashboard.page.request.get(download.url());
    expect(again.status()).toBe(404);
  });

  it('met no script error, and no password crossed the WebSocket', async () => {
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    expect(pageProblems).toEqual([]);
    expect(frames.some((frame) => frame.includes(password))).toBe(false);
  });
});
