import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerBin } from '../support/code-server-bin.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { startXDisplay } from './dashboard-server.js';
import { electronBinary, MAIN_ENTRY, PortholeApp } from './electron-app.js';

const NAME = 'app-demo';
const binary = electronBinary();

/**
 * The real desktop app (the built out/main/index.js under Electron), on the
 * Sandbox account with a private HOME: the dashboard lists the workspaces,
 * the tray menu is driven in the main process, and a workspace opens in its
 * editor window with VS Code inside. Runs where an Electron binary exists.
 */
if ('missing' in binary) {
  console.log(`[electron suite] skipped: no Electron binary: ${binary.missing}`);
  describe('the desktop app (Electron)', () => {
    it.skip(`skipped: no Electron binary (${binary.missing})`, () => undefined);
  });
} else {
  describe('the desktop app (Electron)', () => {
    let home: string;
    let env: Record<string, string>;
    let emulator: { stop(): Promise<void> };
    let x: { display: string; stop(): Promise<void> } | undefined;
    let electronApp: ElectronApplication;
    let app: PortholeApp;
    let dashboard: Page;

    beforeAll(async () => {
      const build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
      codeServerBin(); // the sandbox workspace runs a real code-server
      home = await mkdtemp(join(tmpdir(), 'porthole-electron-'));
      if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') x = await startXDisplay();
      env = { HOME: home, PORTHOLE_HOME: join(home, 'porthole'), ...(x ? { DISPLAY: x.display } : {}) };
      emulator = await startSandboxEmulator(env, 3);
      const created = await porthole(['create', NAME], env);
      expect(created.code, created.stderr).toBe(0);
      electronApp = await _electron.launch({
        executablePath: binary.path,
        // Chromium's own sandbox cannot start as root; the pages keep sandbox: true in their preferences.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN_ENTRY],
        env: { ...(process.env as Record<string, string>), ...env },
      });
      app = new PortholeApp(electronApp);
      dashboard = await app.dashboard();
    }, 300_000);

    afterAll(async () => {
      await electronApp?.close();
      await emulator?.stop();
      await x?.stop();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('shows the dashboard with the workspaces of the sandbox account', async () => {
      await dashboard.getByRole('heading', { name: 'Workspaces' }).waitFor();
      await dashboard.locator(`tr[data-workspace="${NAME}"][data-state="ready"]`).waitFor({ timeout: 60_000 });
    });

    it('gives the dashboard the contract and nothing else: no Node, no ipcRenderer', async () => {
      const exposed = await dashboard.evaluate(() => ({
        bridge: Object.keys((globalThis as unknown as { porthole: object }).porthole).sort(),
        require: typeof (globalThis as unknown as { require?: unknown }).require,
        process: typeof (globalThis as unknown as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({ bridge: ['call', 'on'], require: 'undefined', process: 'undefined' });
      const refused = await dashboard.evaluate(() => (globalThis as unknown as { porthole: { call(n: string, r: unknown): Promise<unknown> } }).porthole.call('constructor', {}));
      expect(refused).toMatchObject({ ok: false, error: { kind: 'usage' } });
    });

    it('lists the workspace in the tray menu, with Open, and Quit at the end', async () => {
      const menu = await app.trayMenu();
      const line = menu.find((item) => item.label.startsWith(NAME));
      expect(line, JSON.stringify(menu)).toBeDefined();
      expect(line!.submenu?.map((item) => item.label)).toContain('Open');
      expect(menu.at(-1)?.label).toBe('Quit Porthole');
    });

    it("opens the create wizard in the dashboard from the tray's New workspace…", async () => {
      await app.clickTray(['New workspace…']);
      const wizard = dashboard.getByRole('dialog', { name: 'New workspace' });
      await wizard.waitFor();
      await dashboard.keyboard.press('Escape');
      await wizard.waitFor({ state: 'detached' });
    });

    it('opens the workspace from the tray in its editor window, with VS Code logged in', async () => {
      const opened = electronApp.waitForEvent('window', { timeout: 60_000 });
      await app.clickTray([NAME, 'Open']);
      const editor = await opened;
      await editor.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      expect(await app.windowTitles()).toContain(`${NAME} — ready — Porthole`);
    }, 120_000);

    it('keeps running in the tray once every window is closed', async () => {
      await electronApp.evaluate(({ BaseWindow }) => {
        for (const window of BaseWindow.getAllWindows()) window.close();
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await app.windowTitles()).toEqual([]);
      expect((await app.trayMenu()).some((item) => item.label.startsWith(NAME))).toBe(true);
    });
  });
}
