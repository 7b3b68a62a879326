import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { DashboardPage, openRecordedDashboard } from './dashboard-page.js';
import { readClipboard, startPortholeUi, startXDisplay, type RunningUi } from './dashboard-server.js';

const ARTIFACTS = join(process.cwd(), 'test-results', 'dashboard');
const NAME = 'web-demo';

/**
 * The dashboard in headless Chromium, served by the real `porthole ui` on
 * the Sandbox account (lightsail-local) with the session's keychain: what a
 * user sees and does, from an empty account to a deleted workspace.
 */
describe('dashboard through porthole ui', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };
  let x: { display: string; stop(): Promise<void> };
  let ui: RunningUi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dashboard: DashboardPage;
  const frames: string[] = [];
  const pageProblems: string[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-'));
    await mkdir(ARTIFACTS, { recursive: true });
    x = await startXDisplay();
    // DISPLAY: the clipboard the password goes to is this private X server's.
    env = { PORTHOLE_HOME: home, DISPLAY: x.display, WAYLAND_DISPLAY: '' };
    // A quicker sandbox than a user's, still slow enough to see each state go by.
    emulator = await startSandboxEmulator(env, 3);
    ui = await startPortholeUi(env);
    browser = await launchChromium();
    dashboard = await openRecordedDashboard(browser, ui.url, frames, pageProblems);
    page = dashboard.page;
    context = page.context();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await emulator?.stop();
    await x?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('opens on the token link, drops the token from the address, and shows an empty Sandbox account', async () => {
    expect(page.url()).toBe(`${ui.origin}/`);
    await page.getByText('No workspaces yet').waitFor();
    expect(await page.getByLabel('Active account').textContent()).toBe('sandbox');
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'porthole_ui', httpOnly: true, sameSite: 'Strict' })]);
  });

  it('works from the keyboard: Tab reaches "New workspace…", Enter opens the wizard on its name field, Escape closes it', async () => {
    const focusedName = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
    for (let presses = 0; presses < 10 && (await focusedName()) !== 'New workspace…'; presses++) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('New workspace…');
    await page.keyboard.press('Enter');
    const wizard = page.getByRole('dialog', { name: 'New workspace' });
    await wizard.waitFor();
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.id ?? null')).toBe(await wizard.getByLabel('Name').getAttribute('id'));
    await page.keyboard.press('Escape');
    await wizard.waitFor({ state: 'detached' });
  });

  it('opens on the wizard at #new-workspace, as the tray\'s "New workspace…" asks, and forgets it once closed', async () => {
    await page.goto(`${ui.origin}/#new-workspace`);
    const wizard = page.getByRole('dialog', { name: 'New workspace' });
    await wizard.waitFor();
    await page.keyboard.press('Escape');
    await wizard.waitFor({ state: 'detached' });
    expect(page.url()).toBe(`${ui.origin}/`);
    await page.reload();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    expect(await wizard.count()).toBe(0);
  });

  it('follows the system light or dark scheme', async () => {
    const background = () => page.locator('body').evaluate((body) => body.ownerDocument.defaultView!.getComputedStyle(body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
  });

  it('saves a settings change to the settings file, and shows it after a reload', async () => {
    await dashboard.showSection('Settings');
    const finished = page.getByLabel('An operation finished');
    expect(await finished.isChecked()).toBe(true);
    await finished.uncheck();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const saved = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as { notifications: Record<string, boolean> };
    expect(saved.notifications.operationFinished).toBe(false);
    await page.reload();
    await dashboard.showSection('Settings');
    expect(await page.getByLabel('An operation finished').isChecked()).toBe(false);
    expect(await page.getByLabel('Account').locator('option:checked').textContent()).toMatch(/^Sandbox/);
    await dashboard.showSection('Workspaces');
  });

  it('shows the problem with a bad name in the wizard as it is typed, and refuses to create it', async () => {
    const wizard = await dashboard.openWizard();
    await wizard.typeName('Web_Demo');
    await expect.poll(() => wizard.nameError().textContent()).toMatch(/uppercase "W" at position 1.*for example "web-demo"/);
    expect(await wizard.dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await wizard.createButton().isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'wizard-bad-name.png') });

    await wizard.typeName(NAME);
    await expect.poll(() => wizard.nameError().textContent()).toBe('');
    expect(await wizard.dialog.getByLabel('Size').locator('option:checked').textContent()).toMatch(/\$\d+\.\d\d\/month/);
    await page.screenshot({ path: join(ARTIFACTS, 'wizard.png') });
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });
  });

  it('creates a workspace from the wizard and shows its progress bar until it is ready', async () => {
    const wizard = await dashboard.openWizard();
    await wizard.typeName(NAME);
    await expect.poll(() => wizard.nameError().textContent()).toBe('');
    await wizard.submit();
    await dashboard.progressOf(NAME).waitFor({ timeout: 10_000 });
    const progress = dashboard.progressOf(NAME);
    expect(Number(await progress.getAttribute('max'))).toBeGreaterThan(1);
    expect(await progress.getAttribute('aria-label')).toMatch(new RegExp(`${NAME} create: .+ \\(\\d+/\\d+\\)`));
    await dashboard.waitForState(NAME, 'ready');
    await dashboard.progressOf(NAME).waitFor({ state: 'detached' });
    const row = dashboard.row(NAME);
    expect(await row.locator('.ip').textContent()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await row.textContent()).toMatch(/us-east-1.*small_3_0.*\$\d+\.\d\d/);
    await dashboard.notice(`${NAME} created`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  }, 60_000);

  it('copies the password to the clipboard on the core side, and the password never reaches the page', async () => {
    await dashboard.act('Copy password', NAME);
    await dashboard.notice('Password copied').waitFor();
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(await readClipboard(x.display)).toBe(password);
    expect(await page.content()).not.toContain(password);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((frame) => frame.includes(password))).toEqual([]);
    expect(frames.some((frame) => frame.includes('"copyPassword"'))).toBe(true);
  });

  it('stops, hibernates, resumes, bakes and deletes it, each from its row', async () => {
    await dashboard.act('Stop', NAME);
    await dashboard.waitForState(NAME, 'stopped');

    await dashboard.act('Hibernate', NAME);
    await page.getByRole('dialog', { name: `Hibernate ${NAME}?` }).waitFor();
    await dashboard.confirm(`Hibernate ${NAME}`);
    await dashboard.waitForState(NAME, 'hibernated');
    expect(await dashboard.row(NAME).getByRole('button', { name: `Resume ${NAME}` }).isVisible()).toBe(true);

    await dashboard.act('Resume', NAME);
    await dashboard.waitForState(NAME, 'ready');

    // Bake it into an image (a bad image name first), which the wizard then offers.
    await dashboard.act('Bake image', NAME);
    const bake = page.getByRole('dialog', { name: `Bake an image of ${NAME}` });
    await bake.getByLabel('Image name').fill('Bad Image');
    await bake.getByRole('button', { name: 'Bake image' }).click();
    await expect.poll(() => bake.getByRole('alert').textContent()).toMatch(/Bad Image/);
    await bake.getByLabel('Image name').fill(`${NAME}-image`);
    await bake.getByRole('button', { name: 'Bake image' }).click();
    await bake.waitFor({ state: 'detached' });
    await dashboard.notice(`${NAME} baked`).waitFor({ timeout: 30_000 });
    const wizard = await dashboard.openWizard();
    await wizard.dialog.getByLabel('Image').locator('option', { hasText: `${NAME}-image` }).waitFor({ state: 'attached' });
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });
    await dashboard.waitForState(NAME, 'ready');

    await dashboard.act('Delete', NAME);
    await dashboard.confirm(`Delete ${NAME}`);
    await dashboard.waitForGone(NAME);
    await page.getByText('No workspaces yet').waitFor();
    expect(JSON.parse((await porthole(['--json', 'ls'], env)).stdout)).toEqual([]);

    await dashboard.showSection('Activity');
    const log = page.locator('ol.activity');
    for (const line of [`${NAME} created`, `${NAME} stopped`, `${NAME} hibernated`, `${NAME} resumed`, `${NAME} baked`, `${NAME} deleted`]) {
      await log.getByText(line).first().waitFor();
    }
    await page.screenshot({ path: join(ARTIFACTS, 'activity.png') });
  }, 120_000);

  it('refuses a wrong or reused token, a page without the session cookie, and a WebSocket from another origin', async () => {
    expect((await fetch(`${ui.origin}/?token=wrong-token`, { redirect: 'manual' })).status).toBe(403);
    // The printed token worked once, for the browser above.
    expect((await fetch(ui.url, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${ui.origin}/`)).status).toBe(403);
    const cookieOf = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    // With the session cookie the page is served, but not under another host name (DNS rebinding).
    expect(await statusOf(ui.origin, { Cookie: cookieOf })).toBe(200);
    expect(await statusOf(ui.origin, { Cookie: cookieOf, Host: 'rebound.example' })).toBe(403);

    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const wsUrl = `${ui.origin.replace('http', 'ws')}/api`;
    expect(await handshake(wsUrl, { Origin: ui.origin })).toBe('refused');
    expect(await handshake(wsUrl, { Origin: 'http://evil.example', Cookie: cookie })).toBe('refused');
    expect(await handshake(wsUrl, { Origin: ui.origin, Cookie: 'porthole_ui=forged' })).toBe('refused');
    expect(await handshake(wsUrl, { Origin: ui.origin, Cookie: cookie })).toBe('open');

    // An accepted socket carries the contract's calls and nothing else.
    expect(await exchange(wsUrl, { Origin: ui.origin, Cookie: cookie }, { type: 'call', id: 1, call: 'getSettings' })).toMatchObject({
      reply: { id: 1, ok: true, response: { activeAccount: 'sandbox' } },
    });
    expect(await exchange(wsUrl, { Origin: ui.origin, Cookie: cookie }, { type: 'call', id: 2, call: 'constructor' })).toEqual({ closed: 1008 });
  });

  it('porthole app (npm start) says in one line why it serves the dashboard instead of the desktop app, then serves it', async () => {
    const app = await startPortholeUi({ ...env, DISPLAY: '' }, 'app');
    try {
      const because = app.stderr().split('\n').filter((line) => line.startsWith('Porthole: opening the dashboard in the browser'));
      expect(because).toEqual([expect.stringMatching(/because (the Electron binary is not installed|there is no display)/)]);
      const other = await browser.newPage();
      await new DashboardPage(other).open(app.url);
      expect(await other.getByLabel('Active account').textContent()).toBe('sandbox');
      await other.close();
    } finally {
      await app.stop();
    }
  });

  it('met no Content Security Policy violation and no script error on the way', () => {
    expect(pageProblems).toEqual([]);
  });
});

/** The status of GET / with these headers, Host included (fetch will not send a chosen Host). */
function statusOf(origin: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${origin}/`, { headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
  });
}

/** Sends one message on a fresh socket: the reply to it, or how the server closed the socket instead. */
function exchange(url: string, headers: Record<string, string>, message: object): Promise<{ reply: unknown } | { closed: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => socket.send(JSON.stringify(message)));
    socket.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString()) as { type: string };
      if (parsed.type !== 'reply') return;
      socket.close();
      resolve({ reply: parsed });
    });
    socket.once('close', (code) => resolve({ closed: code }));
    socket.once('error', reject);
  });
}

function handshake(url: string, headers: Record<string, string>): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('error', () => resolve('refused'));
  });
}
