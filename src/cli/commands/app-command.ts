import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../context.js';
import { shippedAppExecutable, shippedResources } from '../shipped-layout.js';
import { serveDashboard } from './ui-command.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN_ENTRY = join(REPO, 'out', 'main', 'index.js');

/**
 * `porthole app` (what `npm start` runs): the desktop app where it can run,
 * the same dashboard in a browser where it cannot, saying why in one line.
 */
export function registerAppCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('app')
    .description('start the desktop app (or the dashboard in a browser where the app cannot run)')
    .option('--no-open', 'when falling back to the browser dashboard, print its address without opening a browser')
    .action(async (options: { open: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      const resources = shippedResources();
      if (resources) {
        // The command line of the packaged app: the app is its own executable, started as an app, not as Node.
        setExitCode(await runApp(shippedAppExecutable(resources), [], globals));
        return;
      }
      const electron = electronBinary();
      const why = whyNotElectron({ electron, env: process.env, platform: process.platform, built: existsSync(MAIN_ENTRY) });
      if (why || !electron) {
        io.stderr.write(`Porthole: opening the dashboard in the browser instead of the desktop app, because ${why}.\n`);
        await serveDashboard(globals, io, { open: options.open });
        return;
      }
      setExitCode(await runApp(electron, [MAIN_ENTRY], globals));
    });
}

/** Why the desktop app cannot start here, in the words of the one line `porthole app` prints; undefined when it can. */
export function whyNotElectron(here: { electron: string | undefined; env: NodeJS.ProcessEnv; platform: NodeJS.Platform; built: boolean }): string | undefined {
  if (!here.electron) return 'the Electron binary is not installed (run "npx install-electron" to get it)';
  if (here.platform === 'linux' && !here.env.DISPLAY && !here.env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  if (!here.built) return 'the app is not built (run "npm run build")';
  return undefined;
}

/** The Electron executable the `electron` package installed, without letting it start a download. */
function electronBinary(): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function runApp(binary: string, args: string[], globals: GlobalOptions): Promise<number> {
  const env = { ...process.env, ...(globals.dataDir ? { PORTHOLE_HOME: globals.dataDir } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}
