import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { SSO_WORK_PROFILE } from '../support/sso-profile.js';
import { DashboardPage, type CreateWizard } from './dashboard-page.js';
import { startPortholeUi, type RunningUi } from './dashboard-server.js';

const NAME = 'web-aws-pick';
/** An IAM Identity Center profile with an account but no role: listed, but no workspace can use it. */
const PORTAL_PROFILE = ['[profile portal]', 'sso_session = corp', 'sso_account_id = 111122223333'];

/**
 * The create wizard's "AWS on the workspace": the desktop's IAM Identity
 * Center profiles from ~/.aws/config, the one picked written into the new
 * workspace's record as configuration (as `porthole create --aws-profile`
 * does), and a pick the core would refuse shown beside the field.
 */
describe('dashboard: the create wizard picks AWS profiles for the workspace', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };
  let ui: RunningUi;
  let browser: Browser;
  let dashboard: DashboardPage;
  const awsConfig = () => join(home, '.aws', 'config');
  const awsSection = (wizard: CreateWizard) => wizard.dialog.getByRole('group', { name: 'AWS on the workspace' });
  const listed = async () => JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Array<{ name: string; aws?: { profiles: string[] } }>;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-create-aws-'));
    await mkdir(join(home, '.aws'));
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home };
    emulator = await startSandboxEmulator(env, 20);
    ui = await startPortholeUi(env);
    browser = await launchChromium();
    dashboard = new DashboardPage(await browser.newPage());
    await dashboard.open(ui.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    if (env) await porthole(['delete', NAME, '--yes'], env);
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('says how to add a profile when none signs in with IAM Identity Center', async () => {
    await writeFile(awsConfig(), '[profile keys]\nregion = us-east-1\n');
    const wizard = await dashboard.openWizard();
    await awsSection(wizard).getByText('No AWS profile on this computer signs in with IAM Identity Center. Add one with "aws configure sso"').waitFor();
    expect(await awsSection(wizard).getByRole('checkbox').count()).toBe(0);
    await dashboard.page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });
  });

  it('lists the SSO profiles with account and role, the unusable one disabled with why, and refuses a pick that stopped being usable', async () => {
    await writeFile(awsConfig(), `${[...SSO_WORK_PROFILE, ...PORTAL_PROFILE].join('\n')}\n`);
    const wizard = await dashboard.openWizard();
    const section = awsSection(wizard);
    const work = section.getByRole('checkbox', { name: 'work', exact: true });
    await work.waitFor();
    expect(await section.getByText('account 111122223333, role Developer, us-east-1').count()).toBe(1);
    expect(await section.getByText(/configuration only, no keys; it signs in for itself with "Sign in to AWS on this workspace"/).count()).toBe(1);
    const portal = section.getByRole('checkbox', { name: 'portal', exact: true });
    expect(await portal.isDisabled()).toBe(true);
    expect(await portal.getAttribute('aria-describedby').then((id) => section.locator(`[id="${id}"]`).textContent())).toBe(
      'Not usable: The AWS profile "portal" names no account and role (sso_account_id, sso_role_name). Add them to [profile portal] in ~/.aws/config, or pick a profile that has them.',
    );

    // The file changes while the form is open: the core checks the pick again and refuses it beside the field, making nothing.
    await wizard.typeName(NAME);
    await work.check();
    await writeFile(awsConfig(), `${SSO_WORK_PROFILE.filter((line) => !line.startsWith('sso_role_name')).join('\n')}\n`);
    await wizard.createButton().click();
    await expect.poll(() => wizard.dialog.getByTestId('aws-profiles-error').textContent(), { timeout: 10_000 }).toBe(
      'The AWS profile "work" names no account and role (sso_account_id, sso_role_name). Add them to [profile work] in ~/.aws/config, or pick a profile that has them.',
    );
    expect(await listed()).toEqual([]);
    await dashboard.page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });
  });

  it('creates a workspace with the profile picked: its row and `porthole ls --json` name it, its record holds the configuration only', async () => {
    await writeFile(awsConfig(), `${SSO_WORK_PROFILE.join('\n')}\n`);
    const wizard = await dashboard.openWizard();
    await wizard.typeName(NAME);
    await expect.poll(() => wizard.nameError().textContent()).toBe('');
    await awsSection(wizard).getByRole('checkbox', { name: 'work', exact: true }).check();
    await wizard.submit();
    await dashboard.row(NAME).getByText('AWS: work').waitFor({ timeout: 10_000 });
    await dashboard.waitForState(NAME, 'ready');
    expect((await listed()).find((w) => w.name === NAME)?.aws).toMatchObject({ profiles: ['work'] });
    const settings = JSON.parse(await readFile(join(home, 'porthole', 'settings.json'), 'utf8')) as { workspaces: Array<{ name: string; layers: string[]; awsConfig?: unknown }> };
    const record = settings.workspaces.find((w) => w.name === NAME);
    expect(record?.layers).toContain('aws');
    expect(record?.awsConfig).toEqual({
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      profiles: [{ name: 'work', accountId: '111122223333', roleName: 'Developer', region: 'us-east-1' }],
    });
  }, 60_000);
});
