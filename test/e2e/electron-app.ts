import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright-core';

export const MAIN_ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url));

/**
 * Where the Electron executable is, or why there is none: the `electron`
 * package is installed here without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD),
 * so its dist/ folder and path.txt are missing.
 */
export function electronBinary(): { path: string } | { missing: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `${pathFile} (the Electron binary was never downloaded; run "npx install-electron")` };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: binary };
}

/** The tray as the main process built it: each item's label, whether it is enabled, and its submenu. */
export interface TrayItem {
  label: string;
  enabled: boolean;
  submenu?: TrayItem[];
}

/** The desktop app as a user meets it: the tray menu, the dashboard window, the editor windows. */
export class PortholeApp {
  constructor(readonly app: ElectronApplication) {}

  dashboard(): Promise<Page> {
    return this.app.firstWindow();
  }

  /** The tray's menu, read in the main process. */
  trayMenu(): Promise<TrayItem[]> {
    return this.app.evaluate(() => {
      const tray = (globalThis as Record<symbol, unknown>)[Symbol.for('porthole.tray')] as { menu(): Electron.Menu | undefined } | undefined;
      const read = (menu: Electron.Menu): TrayItem[] =>
        menu.items.filter((item) => item.type !== 'separator').map((item) => ({ label: item.label, enabled: item.enabled, ...(item.submenu ? { submenu: read(item.submenu) } : {}) }));
      const menu = tray?.menu();
      return menu ? read(menu) : [];
    });
  }

  /** Clicks a tray item by its labels from the top: ['demo …', 'Open']. */
  async clickTray(path: string[]): Promise<void> {
    await this.app.evaluate((_electron, labels) => {
      const tray = (globalThis as Record<symbol, unknown>)[Symbol.for('porthole.tray')] as { menu(): Electron.Menu | undefined } | undefined;
      let items = tray?.menu()?.items ?? [];
      let found: Electron.MenuItem | undefined;
      for (const label of labels) {
        found = items.find((item) => item.label === label || item.label.startsWith(label));
        if (!found) throw new Error(`No tray item "${label}" among: ${items.map((i) => i.label).join(', ')}`);
        items = found.submenu?.items ?? [];
      }
      found!.click();
    }, path);
  }

  /** The titles of every window, the editor windows (BaseWindow) included. */
  windowTitles(): Promise<string[]> {
    return this.app.evaluate(({ BaseWindow }) => BaseWindow.getAllWindows().map((window) => window.getTitle()));
  }
}
