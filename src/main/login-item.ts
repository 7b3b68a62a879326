import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { app } from 'electron';
import { autostartEntry } from './login-item-policy.js';

/** Starts Porthole at login, or stops doing so, as settings.launchAtLogin says. */
export async function applyLaunchAtLogin(openAtLogin: boolean): Promise<void> {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin });
    return;
  }
  const file = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'porthole.desktop');
  if (!openAtLogin) {
    await rm(file, { force: true });
    return;
  }
  // Run from a checkout (`electron out/main/index.js`), the script has to be named too.
  const command = process.defaultApp && process.argv[1] ? [process.execPath, resolve(process.argv[1])] : [process.execPath];
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, autostartEntry(command), { mode: 0o644 });
}
