import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { activeProfileSettings, writeStaticProfile } from '../support/profile-settings.js';
import { openRecordedDashboard, type DashboardPage } from './dashboard-page.js';
import { startPortholeUi, type RunningUi } from './dashboard-server.js';

const ARTIFACTS = join(process.cwd(), 'test-results', 'dashboard');

/**
 * All accounts as a control, in Chromium against the real `porthole ui`:
 * the Sandbox is active, and the AWS profile "team" (a second lightsail-local
 * standing in for its account) is enabled. The user stops the team's
 * workspace from the All accounts table and watches it change there, without
 * switching accounts.
 */
describe('dashboard: acting on another account from All accounts', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let team: RunningEmulator;
  let sandbox: { stop(): Promise<void> };
  let ui: RunningUi;
  let browser: Browser;
  let page: Page;
  let dashboard: DashboardPage;
  const frames: string[] = [];
  const pageProblems: string[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-every-account-'));
    await mkdir(ARTIFACTS, { recursive: true });
    team = await startEmulator({ timeScale: 200, seed: 8 });
    env = { HOME: home, PORTHOLE_HOME: join(home, 'porthole'), ...(await writeStaticProfile(home, 'team')), AWS_ENDPOINT_URL_LIGHTSAIL: team.endpoint };
    activeProfileSettings(join(home, 'porthole'), 'team', team.endpoint);
    const created = await porthole(['create', 'teamwork', '--idle-timeout', '0'], env);
    expect(created.code, created.stderr).toBe(0);
    sandbox = await startSandboxEmulator(env, 200);
    expect((await porthole(['account', 'use', 'sandbox'], env)).code).toBe(0);

    ui = await startPortholeUi(env);
    browser = await launchChromium({ home: home, configHome: join(home, '.config') });
    dashboard = await openRecordedDashboard(browser, ui.url, frames, pageProblems);
    page = dashboard.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await sandbox?.stop();
    await team?.close();
    await rm(home, { recursive: true, force: true });
  });

  it("stops the team's workspace from All accounts and sees it change there, still on the Sandbox", async () => {
    await expect.poll(() => page.getByLabel('Active account').textContent(), { timeout: 10_000 }).toBe('sandbox');
    await dashboard.showSection('All accounts');
    const row = dashboard.everyAccountRow('team', 'teamwork');
    await row.waitFor({ timeout: 20_000 });
    const stop = row.getByRole('button', { name: 'Stop teamwork in team', exact: true });
    await expect.poll(() => stop.isEnabled(), { timeout: 20_000 }).toBe(true);
    await dashboard.actInAccount('Stop', 'team', 'teamwork');
    await dashboard.waitForStateInAccount('team', 'teamwork', 'stopped');
    expect(await row.getByRole('button', { name: 'Start teamwork in team', exact: true }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'every-account-stopped.png') });

    // No switch happened: the Sandbox is still active and its own list never showed the team's workspace.
    expect(await page.getByLabel('Active account').textContent()).toBe('sandbox');
    await dashboard.showSection('Workspaces');
    await page.getByText('No workspaces yet').waitFor();
    await dashboard.showSection('Activity');
    await page.getByText('teamwork (team) stopped.').waitFor({ timeout: 10_000 });
    expect(pageProblems).toEqual([]);
  }, 90_000);
});
