import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShippedCommandLine } from '../core/app/command-line-calls.js';

/**
 * Where the built app's parts are: beside this file (out/main/index.js) for
 * the preload and the renderer; tray images and the `porthole` command line
 * beside the asar when packaged (electron-builder's extraResources), in the
 * checkout's assets/ and bin/ otherwise.
 */
export function appPaths(resources: { isPackaged: boolean; resourcesPath: string; platform: NodeJS.Platform }) {
  const out = fileURLToPath(new URL('..', import.meta.url));
  const checkout = join(out, '..');
  const appIcon = join(checkout, 'assets', 'icon.png');
  return {
    preload: join(out, 'preload', 'index.cjs'),
    rendererFile: join(out, 'renderer', 'index.html'),
    trayDir: resources.isPackaged ? join(resources.resourcesPath, 'tray') : join(checkout, 'assets', 'tray'),
    commandLine: shippedCommandLine(resources, checkout),
    // Packaged, the window icon comes from the executable itself.
    ...(existsSync(appIcon) ? { appIcon } : {}),
  };
}

/** The launcher ssh and a link on PATH run: it finds the app's executable beside itself and runs the CLI bundle as Node. */
function shippedCommandLine(resources: { isPackaged: boolean; resourcesPath: string; platform: NodeJS.Platform }, checkout: string): ShippedCommandLine {
  if (!resources.isPackaged) {
    // From a checkout the app is Electron from node_modules, which is no Node: bin/porthole.js runs with its own shebang.
    const launcher = join(checkout, 'bin', 'porthole.js');
    return { launcher, command: [launcher] };
  }
  const launcher = join(resources.resourcesPath, 'cli', resources.platform === 'win32' ? 'porthole.cmd' : 'porthole');
  return { launcher, command: [launcher] };
}
