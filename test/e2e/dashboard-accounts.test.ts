import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LightsailClient, StopInstanceCommand } from '@aws-sdk/client-lightsail';
import { fromIni } from '@aws-sdk/credential-providers';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssoLogin } from '../../src/core/credentials/sso-login.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { porthole } from '../support/porthole-cli.js';
import { identityEndpointEnv, SSO_WORK_PROFILE } from '../support/sso-profile.js';
import { openRecordedDashboard, type DashboardPage } from './dashboard-page.js';
import { startPortholeUi, type RunningUi } from './dashboard-server.js';
import { activeProfileSettings } from '../support/profile-settings.js';

const ARTIFACTS = join(process.cwd(), 'test-results', 'dashboard');
const NAME = 'sso-demo';

/**
 * Every call the dashboard's process makes to AWS, counted on the way: a
 * loopback relay in front of lightsail-local and its identity server, as a
 * request log would show them. Lightsail calls carry their X-Amz-Target;
 * the portal's role credential fetches are GET /federation/credentials.
 */
async function startCallLog(lightsail: string, identity: string): Promise<{ url: string; calls: Array<{ at: number; what: string }>; close(): Promise<void> }> {
  const calls: Array<{ at: number; what: string }> = [];
  const server: Server = createServer((incoming, outgoing) => {
    const target = String(incoming.headers['x-amz-target'] ?? '');
    const toLightsail = target.startsWith('Lightsail_');
    calls.push({ at: Date.now(), what: toLightsail ? target : `${incoming.method} ${(incoming.url ?? '').split('?')[0]}` });
    const upstream = new URL(toLightsail ? lightsail : identity);
    // The Host header stays as signed: the emulator checks the signature over what the client sent.
    const relay = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    relay.on('error', () => outgoing.destroy());
    incoming.pipe(relay);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const pollingCalls = (calls: Array<{ what: string }>) => calls.filter((c) => c.what.startsWith('Lightsail_') || c.what === 'GET /federation/credentials').length;

/**
 * An IAM Identity Center account in the dashboard, served by the real
 * `porthole ui` against lightsail-local: the sign-in expires while a
 * workspace is changing, the banner says so and checking stops; "Sign in"
 * shows the code, the person approves it on the portal, and everything
 * comes back without a restart. Nothing secret crosses the WebSocket.
 */
describe('dashboard accounts: expired IAM Identity Center sign-in and signing in again', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: RunningEmulator;
  let log: Awaited<ReturnType<typeof startCallLog>>;
  let ui: RunningUi;
  let browser: Browser;
  let page: Page;
  let dashboard: DashboardPage;
  const frames: string[] = [];
  const pageProblems: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-accounts-'));
    await mkdir(ARTIFACTS, { recursive: true });
    // Stopping takes two minutes, so the workspace is "changing" (checked every second) for the whole story.
    emulator = await startEmulator({
      seed: 21,
      durations: { create: 1_500, stop: 120_000 },
      // Role credentials shorter than the SDK's refresh window: each check asks the portal, as a long session eventually does.
      identity: { intervalSeconds: 1, roleCredentialSeconds: 60 },
    });
    log = await startCallLog(emulator.endpoint, emulator.identityEndpoint);
    await writeFile(join(home, 'config'), [...SSO_WORK_PROFILE, ''].join('\n'));
    // The system browser: records the link it is asked to open, as the person's browser would show it.
    const bin = join(home, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${join(home, 'opened')}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    env = {
      HOME: home,
      PORTHOLE_HOME: join(home, 'porthole'),
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      ...identityEndpointEnv(log.url),
      AWS_ENDPOINT_URL_LIGHTSAIL: log.url,
    };
    // This process reads the same sign-in when it plays "someone else" stopping the instance from the console.
    Object.assign(process.env, env);

    await ssoLogin({
      profile: 'work',
      env,
      openUrl: async ({ userCode }) => void (await approve(userCode)),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 300))),
    });
    activeProfileSettings(join(home, 'porthole'), 'work', emulator.endpoint);
    const created = await porthole(['create', NAME], env);
    expect(created.code, created.stderr).toBe(0);

    ui = await startPortholeUi(env);
    browser = await launchChromium({ home: home, configHome: join(home, '.config') });
    dashboard = await openRecordedDashboard(browser, ui.url, frames, pageProblems);
    page = dashboard.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await log?.close();
    await emulator?.close();
    process.env = saved;
    await rm(home, { recursive: true, force: true });
  });

  const approve = (userCode: string) => fetch(`${emulator.identityEndpoint}/_emulator/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode }) });
  const banner = () => page.getByRole('alert', { name: 'Sign-in needed for work' });

  it('shows the SSO account signed in, with who it is in Settings', async () => {
    // Running (its launch script's progress is read over SSH, which this emulator's instances do not serve, so it may still say provisioning).
    await dashboard.row(NAME).waitFor({ timeout: 10_000 });
    expect(['provisioning', 'ready']).toContain(await dashboard.stateOf(NAME));
    await page.getByLabel('Active account').getByText('work').waitFor({ timeout: 5_000 });
    expect(await banner().count()).toBe(0);
    await dashboard.showSection('Settings');
    const row = page.locator('tr[data-account="work"]');
    await row.getByText('Developer', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-health')).toBe('ok');
    expect(await row.textContent()).toContain('111122223333');
    expect(await row.textContent()).toMatch(/until .+ \(in \d+ (min|h)\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'accounts-settings.png') });
    await dashboard.showSection('Workspaces');
  });

  it('when the sign-in expires mid-session, the banner appears once and checking stops', async () => {
    // Someone stops the instance from the Lightsail console; a refresh shows it stopping, and the dashboard checks every second.
    const lightsailConsole = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: fromIni({ profile: 'work' }) });
    await lightsailConsole.send(new StopInstanceCommand({ instanceName: NAME }));
    lightsailConsole.destroy();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await dashboard.waitForState(NAME, 'stopping');
    const before = pollingCalls(log.calls);
    await page.waitForTimeout(3_000);
    expect(pollingCalls(log.calls) - before).toBeGreaterThanOrEqual(2);

    await fetch(`${emulator.identityEndpoint}/_emulator/sso/expire`, { method: 'POST' });
    await banner().waitFor({ timeout: 15_000 });
    expect(await banner().getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await dashboard.notice('Sign-in needed for work').count()).toBe(1);
    expect(await dashboard.notice('Sign-in needed for work').getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);

    // Paused, not backing off: no call at all while nobody signs in.
    const paused = pollingCalls(log.calls);
    await page.waitForTimeout(6_000);
    expect(pollingCalls(log.calls)).toBe(paused);
    expect(await dashboard.stateOf(NAME)).toBe('stopping');
    expect(await dashboard.notice('Sign-in needed for work').count()).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(ARTIFACTS, 'accounts-expired-banner.png') });
  });

  it('Sign in shows the code and opens the link; approving it on the portal brings the workspaces back and checking resumes', async () => {
    const paused = pollingCalls(log.calls);
    // From the keyboard: Tab reaches the banner's Sign in, Enter starts it.
    const focused = () => page.evaluate<string>('document.activeElement?.closest("[role=alert]") ? document.activeElement.textContent ?? "" : ""');
    for (let presses = 0; presses < 10 && (await focused()) !== 'Sign in'; presses++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Sign in');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign in to work' });
    const code = dialog.getByLabel('Sign-in code');
    await code.waitFor();
    const userCode = (await code.textContent()) ?? '';
    expect(userCode).toMatch(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/);
    const link = (await dialog.getByRole('link').getAttribute('href')) ?? '';
    expect(link).toContain(userCode);
    // The core opened the same link in the system browser.
    expect((await readFile(join(home, 'opened'), 'utf8')).trim()).toBe(link);
    await page.screenshot({ path: join(ARTIFACTS, 'accounts-sign-in-dialog.png') });

    // The person approves the code on the portal.
    expect((await approve(userCode)).status).toBe(200);
    await dialog.getByText('Signed in to work').waitFor({ timeout: 15_000 });
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Close' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });

    expect(['stopping', 'stopped']).toContain(await dashboard.stateOf(NAME));
    await page.waitForTimeout(2_500);
    expect(pollingCalls(log.calls) - paused).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(ARTIFACTS, 'accounts-signed-in-again.png') });
  });

  it('a sign-in given up with Escape says so, and the banner does not come back', async () => {
    await dashboard.showSection('Settings');
    await page.getByRole('button', { name: 'Sign in to work' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to work' });
    await dialog.getByLabel('Sign-in code').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await dashboard.showSection('Activity');
    await page.getByText('Sign-in to work cancelled.').waitFor({ timeout: 10_000 });
    expect(await banner().count()).toBe(0);
  });

  it("lists every account's workspaces together under All accounts, and switches to an account from there", async () => {
    await dashboard.showSection('All accounts');
    await page.getByRole('table', { name: 'Workspaces of every account' }).locator(`tr[data-account="work"][data-workspace="${NAME}"]`).waitFor();
    const listed = page.getByRole('list', { name: 'Accounts listed' });
    expect(await listed.locator('li[data-account="work"]').textContent()).toBe('work 1 workspace (active)');
    expect(await listed.locator('li[data-account="sandbox"]').textContent()).toBe('sandbox 0 workspacesUse sandbox');
    await page.screenshot({ path: join(ARTIFACTS, 'accounts-all.png') });

    await listed.getByRole('button', { name: 'Use sandbox' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await expect.poll(() => page.getByLabel('Active account').textContent()).toBe('sandbox');
    await page.getByText('No workspaces yet').waitFor();
    await dashboard.showSection('All accounts');
    await listed.getByRole('button', { name: 'Use work' }).click();
    await expect.poll(() => page.getByLabel('Active account').textContent()).toBe('work');
    await dashboard.row(NAME).waitFor();
  }, 90_000);

  it('no token, secret or credential crossed the WebSocket, and the page logged no error', async () => {
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    const secrets: string[] = [];
    for (const file of await readdir(cacheDir)) {
      const cached = JSON.parse(await readFile(join(cacheDir, file), 'utf8')) as Record<string, unknown>;
      for (const key of ['accessToken', 'refreshToken', 'clientSecret', 'clientId']) if (typeof cached[key] === 'string') secrets.push(cached[key]);
    }
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const traffic = frames.join('\n');
    expect(traffic).toContain('accountHealth');
    // One notice for the whole expiry, however many checks it paused.
    expect(frames.filter((f) => f.includes('"event":"notice"') && f.includes('Sign-in needed for work'))).toHaveLength(1);
    expect(traffic).toContain('signInFinished');
    for (const secret of secrets) expect(traffic).not.toContain(secret);
    expect(traffic).not.toMatch(/accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken|aws_session_token/i);
    for (const secret of secrets) expect(ui.stderr()).not.toContain(secret);
    expect(pageProblems).toEqual([]);
  });
});
