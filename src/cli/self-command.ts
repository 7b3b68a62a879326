import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How to run this same `porthole` from outside it: what ssh's ProxyCommand names and what "Install command line tool" links. */
export interface SelfCommand {
  /** The file a link on PATH points at: the app's launcher, or bin/porthole.js in a checkout. */
  launcher: string;
  /** The command, one word per element: the launcher alone, or node and bin/porthole.js. */
  command: string[];
}

/**
 * This process's own command. The CLI the app ships (resources/cli/porthole.cjs)
 * runs under the app's executable, which starts the desktop app unless its
 * launcher sets ELECTRON_RUN_AS_NODE: so it is named by that launcher, beside it.
 */
export function selfCommand(script = process.argv[1] ?? 'porthole', platform = process.platform, execPath = process.execPath): SelfCommand {
  const real = realpathSync(script);
  if (basename(real) === 'porthole.cjs') {
    const launcher = join(dirname(real), platform === 'win32' ? 'porthole.cmd' : 'porthole');
    return { launcher, command: [launcher] };
  }
  return { launcher: real, command: [execPath, real] };
}
