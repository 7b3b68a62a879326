import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built app's parts are: beside this file (out/main/index.js) for
 * the preload and the renderer; tray images beside the asar when packaged
 * (electron-builder's extraResources), in the checkout's assets/ otherwise.
 */
export function appPaths(resources: { isPackaged: boolean; resourcesPath: string }) {
  const out = fileURLToPath(new URL('..', import.meta.url));
  const checkout = join(out, '..');
  const appIcon = join(checkout, 'assets', 'icon.png');
  return {
    preload: join(out, 'preload', 'index.cjs'),
    rendererFile: join(out, 'renderer', 'index.html'),
    trayDir: resources.isPackaged ? join(resources.resourcesPath, 'tray') : join(checkout, 'assets', 'tray'),
    // Packaged, the window icon comes from the executable itself.
    ...(existsSync(appIcon) ? { appIcon } : {}),
  };
}
