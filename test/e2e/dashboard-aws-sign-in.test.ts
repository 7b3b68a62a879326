import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { porthole } from '../support/porthole-cli.js';
import { SSO_WORK_PROFILE } from '../support/sso-profile.js';
import { DashboardPage } from './dashboard-page.js';
import { serveSandboxWorkspace, type RunningUi, type ServedWorkspace } from './dashboard-server.js';

const NAME = 'web-aws';

/**
 * "Sign in to AWS on this workspace" from the dashboard, on a Sandbox
 * workspace made with --aws-profile: the workspace's own AWS CLI starts the
 * sign-in, the desktop's opener (a script on PATH, as the person in the
 * browser) gets the approval page and approves the code it shows, and the
 * dialog shows that code, then the sign-in done; the token never reaches the page.
 */
describe('dashboard: sign in to AWS on a workspace', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let opened: string;
  let ui: RunningUi;
  let browser: Browser;
  let served: ServedWorkspace | undefined;

  beforeAll(async () => {
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-aws-'));
    await mkdir(join(home, '.aws'));
    await writeFile(join(home, '.aws', 'config'), `${SSO_WORK_PROFILE.join('\n')}\n`);
    const bin = join(home, 'bin');
    await mkdir(bin);
    opened = join(home, 'opened.txt');
    await writeFile(
      join(bin, 'xdg-open'),
      `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\ncode=$(printf '%s' "$1" | sed 's/.*user_code=//')\nbase=$(printf '%s' "$1" | sed 's#/start/.*##')\ncurl -s -X POST -d "{\\"userCode\\":\\"$code\\"}" "$base/_emulator/sso/approve" >/dev/null\n`,
    );
    await chmod(join(bin, 'xdg-open'), 0o755);
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home, PATH: `${bin}:${process.env.PATH ?? ''}` };
    served = await serveSandboxWorkspace(env, NAME, { timeScale: 20, createArgs: ['--aws-profile', 'work'] });
    ({ ui, browser } = served);
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('shows the code the workspace asks to approve, opens the approval page, and says when the workspace is signed in', async () => {
    const dashboard = new DashboardPage(await browser.newPage());
    await dashboard.open(ui.url);
    await dashboard.waitForState(NAME, 'ready');
    await dashboard.act('Sign in to AWS on this workspace', NAME);
    const dialog = dashboard.page.getByRole('dialog');
    const code = (await dialog.getByLabel('Sign-in code').textContent({ timeout: 60_000 }))?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await dialog.getByText(`${NAME} is signed in to AWS as work. Its token stays on the workspace.`).waitFor({ timeout: 60_000 });
    const link = await until('the approval page', async () => (await readFile(opened, 'utf8').catch(() => '')).trim() || undefined, 30_000);
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/start/#/device\\?user_code=${code}$`));
    const token = await porthole(['ssh', NAME, '--', 'sh', '-c', `'grep -ho "\\"accessToken\\": \\"[^\\"]*\\"" "$PORTHOLE_WORKSPACE_HOME"/.aws/sso/cache/*.json'`], env);
    expect(token.stdout).toMatch(/"accessToken": "\S+"/);
    expect(await dashboard.page.content()).not.toContain(JSON.parse(`{${token.stdout.trim()}}`).accessToken as string);

    // The notification that offers this sign-in once the token runs out has its own switch.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dashboard.showSection('Settings');
    const expiredChoice = dashboard.page.getByLabel('The AWS CLI on a workspace needs a new sign-in');
    expect(await expiredChoice.isChecked()).toBe(true);
    await expiredChoice.uncheck();
    await dashboard.page.getByRole('status').getByText('Saved.').waitFor();
    const saved = JSON.parse(await readFile(join(home, 'porthole', 'settings.json'), 'utf8')) as { notifications: Record<string, boolean> };
    expect(saved.notifications.awsSignInExpired).toBe(false);
  }, 180_000);
});
