import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where things are when this command line runs from inside the packaged
 * app: its bundle is `resources/cli/porthole.cjs`, beside the app's
 * `app.asar`. From a checkout (src/cli, or out/cli) there is no such
 * neighbour, and every function here answers undefined.
 */
export function shippedResources(here: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  if (basename(here) !== 'cli') return undefined;
  const resources = dirname(here);
  return existsSync(join(resources, 'app.asar')) ? resources : undefined;
}

/** The dashboard the app ships beside its asar (`resources/renderer`), which a plain Node runtime can read and `porthole ui` serves as it is. */
export function shippedRenderer(resources: string | undefined = shippedResources()): string | undefined {
  const dir = resources && join(resources, 'renderer');
  return dir && existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** The app's own executable, which `porthole app` starts as the desktop app. */
export function shippedAppExecutable(resources: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(resources, '..', 'MacOS', 'Porthole');
  if (platform === 'win32') return join(resources, '..', 'Porthole.exe');
  return join(resources, '..', 'porthole');
}
