import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTHOLE_BIN } from '../support/porthole-cli.js';
import { DashboardPage } from './dashboard-page.js';
import { startPortholeUi, type RunningUi } from './dashboard-server.js';


/**
 * Settings → Install command line tool, in headless Chromium against the
 * real `porthole ui`, on a new user's home: the link appears in
 * ~/.local/bin and runs, the page says where it is and how to put that
 * folder on PATH, and Uninstall takes it away. Under `porthole ui` the link
 * points at the checkout's bin/porthole.js.
 */
describe('dashboard: Install command line tool', () => {
  let home: string;
  let ui: RunningUi;
  let browser: Browser;
  let dashboard: DashboardPage;
  let systemBefore: string[];
  const link = () => join(home, '.local', 'bin', 'porthole');

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-cli-tool-ui-'));
    await mkdir(join(home, 'data'));
    systemBefore = await readdir('/usr/local/bin').catch(() => []);
    ui = await startPortholeUi({ PORTHOLE_HOME: join(home, 'data'), HOME: home, SHELL: '/bin/bash', PATH: process.env.PATH });
    browser = await launchChromium();
    dashboard = new DashboardPage(await browser.newPage());
    await dashboard.open(ui.url);
    await dashboard.showSection('Settings');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    await rm(home, { recursive: true, force: true });
  });

  const status = () => dashboard.page.getByRole('status', { name: 'Command line tool' });
  const button = (name: string) => dashboard.page.getByRole('button', { name, exact: true });

  it('links porthole into ~/.local/bin and says so, with how to put the folder on PATH', async () => {
    await expect(button('Uninstall command line tool').isDisabled()).resolves.toBe(true);
    await button('Install command line tool').click();
    await status().getByText('Linked').waitFor();
    const launcher = await realpath(PORTHOLE_BIN);
    expect(await status().textContent()).toBe(
      `Linked ${link()} to ${launcher}. ${join(home, '.local', 'bin')} is not on your PATH: add it with echo 'export PATH="$HOME/.local/bin:$PATH"' >> ~/.profile, then open a new terminal.`,
    );
    expect(await readlink(link())).toBe(launcher);
    await dashboard.page.getByText(`The porthole command is installed: ${link()}.`).waitFor();
    const { stdout } = await promisify(execFile)(link(), ['--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('says it is already installed the second time, and changes nothing', async () => {
    await button('Install command line tool').click();
    await status().getByText('is already linked to').waitFor();
  });

  it('asks before linking for every user, and Cancel links nothing there', async () => {
    await button('Install for every user (/usr/local/bin)…').click();
    const dialog = dashboard.page.getByRole('dialog');
    await dialog.getByText('for every user of this computer').waitFor();
    await dashboard.confirm('Cancel');
    expect(await readdir('/usr/local/bin').catch(() => [])).toEqual(systemBefore);
  });

  it('uninstalls it: the link is gone, and the page says what it removed', async () => {
    await button('Uninstall command line tool').click();
    await status().getByText(`Removed ${link()}.`).waitFor();
    await expect(lstat(link())).rejects.toThrow(/ENOENT/);
    await dashboard.page.getByText('Install the porthole command to use Porthole from a terminal').waitFor();
    expect(await button('Uninstall command line tool').isDisabled()).toBe(true);
  });
});
