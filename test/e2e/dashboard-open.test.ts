import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { porthole, PORTHOLE_BIN } from '../support/porthole-cli.js';
import { DashboardPage } from './dashboard-page.js';
import { recordingUrlOpener, serveSandboxWorkspace, type RunningUi, type ServedWorkspace } from './dashboard-server.js';

const NAME = 'web-open';

/**
 * "Open in browser" from the dashboard on a Sandbox workspace that really
 * runs (sshd and code-server on loopback): the desktop's URL opener is a
 * script on PATH that records the link, and the test's Chromium follows it,
 * as the system browser would. Then "Open in VS Code" on a home without
 * ~/.ssh, and plain ssh through the entry it wrote, as Remote-SSH goes.
 */
describe('dashboard: open a workspace in the browser', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let opener: Awaited<ReturnType<typeof recordingUrlOpener>>;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let ui: RunningUi;
  let browser: Browser;
  let served: ServedWorkspace | undefined;
  // The address's token works once: both tests use the one page it opened.
  let dashboard: DashboardPage;

  beforeAll(async () => {
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-ui-open-'));
    opener = await recordingUrlOpener(home);
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home, PATH: `${opener.bin}:${process.env.PATH ?? ''}` };
    served = await serveSandboxWorkspace(env, NAME, { timeScale: 20 });
    ({ emulator, ui, browser } = served);
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('hands the system browser a one-time link that opens the VS Code workbench, logged in, through the tunnel', async () => {
    dashboard = new DashboardPage(await browser.newPage());
    await dashboard.open(ui.url);
    await dashboard.waitForState(NAME, 'ready');
    await dashboard.act('Open in browser', NAME);
    const link = await until('the link', async () => (await opener.links())[0], 60_000);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.porthole\/login\?token=/);

    const editor = await browser.newPage();
    await editor.goto(link);
    await editor.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 45_000 });
    // The link worked once; the password never went through it or the dashboard.
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    expect(link).not.toContain(password);
    expect(await dashboard.page.content()).not.toContain(password);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    await dashboard.showSection('Activity');
    await dashboard.page.locator('ol.activity').getByText(`Opened ${NAME} in the browser`).waitFor();
  }, 120_000);

  it('Open in VS Code writes the SSH entry and Include line itself on a home with no ~/.ssh, hands VS Code its link, and ssh gets in through that entry', async () => {
    await expect(stat(join(home, '.ssh'))).rejects.toThrow(/ENOENT/);
    await dashboard.showSection('Workspaces');
    await dashboard.waitForState(NAME, 'ready');
    await dashboard.act('Open in VS Code', NAME);
    const link = await until('the VS Code link', async () => (await opener.links()).find((line) => line.startsWith('vscode://')), 60_000);
    expect(link).toBe(`vscode://vscode-remote/ssh-remote+porthole-${NAME}/home/ubuntu`);
    await dashboard.notice('SSH entry written').waitFor();
    expect((await stat(join(home, '.ssh'))).mode & 0o777).toBe(0o700);
    const entries = await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8');
    expect(entries).toContain(`  ProxyCommand ${process.execPath} ${await realpath(PORTHOLE_BIN)} ssh-proxy ${NAME} --region us-east-1\n`);
    expect(await readFile(join(home, '.ssh', 'config'), 'utf8')).toBe(`Include "${join(home, '.ssh', 'porthole', 'config')}"\n`);
    // ssh takes ~ from the password database, not HOME: point it at the config explicitly.
    const ssh = spawnSync('ssh', ['-F', join(home, '.ssh', 'config'), `porthole-${NAME}`, 'echo', 'via-vscode-entry'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(ssh.status, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toBe('via-vscode-entry');
  }, 120_000);

  it("says in a notice and the activity log that the workspace's firewall followed this computer to a new address, found by the dashboard's own status reads", async () => {
    await dashboard.showSection('Workspaces');
    await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify({ ip: '203.0.113.9' }) });
    try {
      await dashboard.notice(`${NAME}: firewall now lets in your new address 203.0.113.9`).waitFor({ timeout: 60_000 });
      await dashboard.showSection('Activity');
      await dashboard.page.locator('ol.activity').getByText(`${NAME}: firewall now lets in your new address 203.0.113.9. This computer's public IP changed from 127.0.0.1`).waitFor();
      const listed = await porthole(['firewall', NAME], env);
      expect(listed.stdout).toMatch(/^203\.0\.113\.9\/32\s+this computer$/m);
      await dashboard.showSection('Settings');
      expect(await dashboard.page.getByLabel("A workspace's firewall moved to this computer's new address").isChecked()).toBe(true);
    } finally {
      await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'DELETE' });
    }
  }, 120_000);
});
