import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built app's parts are, beside this file (out/main/index.js) and, for tray images, beside the app. */
export function appPaths(resources: { isPackaged: boolean; appPath: string; resourcesPath: string }) {
  const out = fileURLToPath(new URL('..', import.meta.url));
  return {
    preload: join(out, 'preload', 'index.cjs'),
    rendererFile: join(out, 'renderer', 'index.html'),
    // Packaged, electron-builder ships them beside the asar (extraResources); in a checkout they are in assets/.
    trayDir: resources.isPackaged ? join(resources.resourcesPath, 'tray') : join(resources.appPath, 'assets', 'tray'),
    appIcon: join(resources.appPath, 'assets', 'icon.png'),
  };
}
