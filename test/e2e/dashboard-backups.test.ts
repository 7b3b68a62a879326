import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/shared/workspace.js';
import { porthole } from '../support/porthole-cli.js';
import { DashboardPage } from './dashboard-page.js';
import { serveSandboxWorkspace, type RunningUi, type ServedWorkspace } from './dashboard-server.js';

const NAME = 'kept';

/**
 * The dashboard's Backups dialog on the Sandbox: a user turns daily backups
 * on, days pass on the emulator's clock, the backups show with their cost,
 * and one is restored into a new workspace that appears in the list.
 */
describe('dashboard: backups', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let ui: RunningUi;
  let browser: Browser;
  let served: ServedWorkspace | undefined;
  /** The page the first case opens: the dashboard's address lets one page in, once. */
  let dashboard: DashboardPage;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-backups-'));
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home };
    served = await serveSandboxWorkspace(env, NAME, { timeScale: 60, createArgs: ['--bundle', 'nano_3_0'], waitForProcesses: false, alsoDelete: [`${NAME}-restored`] });
    ({ emulator, ui, browser } = served);
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    await rm(home, { recursive: true, force: true });
  }, 120_000);

  it('turns daily backups on, lists the days with their cost, and restores one as a new workspace', async () => {
    dashboard = new DashboardPage(await browser.newPage());
    await dashboard.open(ui.url);
    await dashboard.waitForState(NAME, 'ready');

    await dashboard.act('Backups…', NAME);
    const dialog = dashboard.page.getByRole('dialog', { name: `Backups of ${NAME}` });
    await dialog.getByText('Daily backups are off.').waitFor();
    await dialog.getByLabel('Daily at (UTC)').selectOption('02:00');
    await dialog.getByRole('button', { name: 'Turn on daily backups' }).click();
    await dialog.getByText('Lightsail takes a backup every day at 02:00 UTC and keeps the 7 newest.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await fetch(`${emulator.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 2 * 24 * 3600 }) });
    await dashboard.act('Backups…', NAME);
    const table = dialog.getByRole('table', { name: `Backups of ${NAME}` });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    // nano_3_0's 20 GB disk at $0.05 per GB-month.
    await expect.poll(() => rows.first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2}ready\$1\.00/);
    const day = (await rows.first().locator('td').first().textContent())!;

    await dialog.getByRole('button', { name: `Restore the ${day} backup` }).click();
    await dialog.getByLabel(`New workspace from the ${day} backup`).fill(`${NAME}-restored`);
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await dashboard.row(`${NAME}-restored`).waitFor({ timeout: 60_000 });
    await dashboard.waitForState(`${NAME}-restored`, 'ready');

    const listed = JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[];
    expect(listed.find((w) => w.name === NAME)?.backups).toEqual({ timeOfDay: '02:00' });
    expect(listed.map((w) => w.name).sort()).toEqual([NAME, `${NAME}-restored`]);
  }, 240_000);

  it('restores a day in place after saying what goes, keeping the name and static IP', async () => {
    const before = (JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[]).find((w) => w.name === NAME)!;
    await dashboard.waitForState(NAME, 'ready');
    await dashboard.act('Backups…', NAME);
    const dialog = dashboard.page.getByRole('dialog', { name: `Backups of ${NAME}` });
    const rows = dialog.getByRole('table', { name: `Backups of ${NAME}` }).locator('tbody tr');
    await rows.first().waitFor();
    const day = (await rows.first().locator('td').first().textContent())!;

    await dialog.getByRole('button', { name: `Restore ${NAME} to the ${day} backup in place` }).click();
    const warning = dialog.getByText(`Restore ${NAME} to its ${day} backup in place?`);
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`takes over the static IP ${before.publicIp}`);
    expect(await warning.textContent()).toContain("Lightsail deletes an instance's automatic snapshots with it");
    await dialog.getByRole('button', { name: 'Restore in place', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await dashboard.waitForState(NAME, 'restoring');
    await dashboard.waitForState(NAME, 'ready');

    const after = (JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[]).find((w) => w.name === NAME)!;
    expect(after.instanceName).toMatch(new RegExp(`^${NAME}-r${day.replaceAll('-', '')}-[0-9a-f]{4}$`));
    expect([after.publicIp, after.staticIpName]).toEqual([before.publicIp, before.staticIpName]);
  }, 240_000);
});
