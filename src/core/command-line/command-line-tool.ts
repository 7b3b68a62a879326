import { lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandLineToolFolder, CommandLineToolFolderState, CommandLineToolRemoval, CommandLineToolResult, CommandLineToolState } from '../../shared/contract.js';
import { PortholeError } from '../errors.js';

/**
 * "Install command line tool", as VS Code has for `code`: a `porthole` link
 * on the user's PATH to the launcher the app ships (resources/cli/porthole),
 * or to bin/porthole.js where Porthole runs from a checkout. A link is
 * Porthole's when it points at a file carrying LAUNCHER_MARK (any copy of the
 * app, so a moved app's link is replaced) or at nothing any more; anything
 * else named porthole is the user's, and is never touched.
 */

/** A line in each launcher (resources/porthole, resources/porthole.cmd, bin/porthole.js) that says whose it is. */
export const LAUNCHER_MARK = 'porthole-cli-launcher';

export interface CommandLineToolPlace {
  /** The launcher a link points at, absolute. */
  launcher: string;
  home: string;
  /** PATH as Porthole was started with it. */
  pathEnv: string;
  platform: NodeJS.Platform;
  /** Where a link for every user goes; /usr/local/bin by default, none on Windows. */
  systemDir?: string | null;
  /** The user's login shell ($SHELL), to say which file adds a folder to PATH. */
  shell?: string;
}

const SYSTEM_DIR = '/usr/local/bin';

/** What is in each folder Porthole can link into, and where the link points now. */
export async function commandLineToolState(place: CommandLineToolPlace): Promise<CommandLineToolState> {
  const folders: CommandLineToolFolderState[] = [];
  for (const folder of availableFolders(place)) folders.push(await folderState(place, folder));
  return { launcher: place.launcher, folders };
}

/**
 * Links `porthole` into the folder: creates the folder if missing, replaces
 * a stale link of Porthole's, leaves one that is already right as it is, and
 * refuses to replace anything else. The system folder is asked for only
 * after the user said yes to `confirm` (the UI asks; see folderState).
 */
export async function installCommandLineTool(place: CommandLineToolPlace, folder: CommandLineToolFolder): Promise<CommandLineToolResult> {
  const state = await folderState(place, folder);
  if (state.occupant === 'foreign') {
    throw new PortholeError('usage', `${state.path} already exists and is not Porthole's command line tool${state.target ? ` (it points at ${state.target})` : ''}, so Porthole leaves it alone.`, {
      fix: `Remove or rename it yourself to put Porthole's there${folder === 'user' ? '' : `, or install into ${userDir(place)} instead`}.`,
    });
  }
  const onPath = state.onPath ? ` ${state.dir} is on your PATH: open a new terminal and run "porthole --help".` : ` ${pathHint(place, state.dir)}`;
  if (state.occupant === 'current') {
    return { folder, path: state.path, onPath: state.onPath, changed: false, message: `${state.path} is already linked to ${place.launcher}.${onPath}` };
  }
  try {
    await mkdir(state.dir, { recursive: true, mode: 0o755 });
    await placeLink(place, state.path);
  } catch (error) {
    throw writeFailure(error, place, state);
  }
  return { folder, path: state.path, onPath: state.onPath, changed: true, message: `Linked ${state.path} to ${place.launcher}.${onPath}` };
}

/** Removes every link of Porthole's from both folders; another `porthole` stays. Nothing installed is not a failure. */
export async function uninstallCommandLineTool(place: CommandLineToolPlace): Promise<CommandLineToolRemoval> {
  const removed: string[] = [];
  for (const folder of availableFolders(place)) {
    const state = await folderState(place, folder);
    if (state.occupant !== 'current' && state.occupant !== 'stale') continue;
    try {
      await rm(state.path, { force: true });
    } catch (error) {
      throw writeFailure(error, place, state);
    }
    removed.push(state.path);
  }
  return { removed, message: removed.length > 0 ? `Removed ${removed.join(' and ')}.` : 'Porthole\'s command line tool was not installed: there was nothing to remove.' };
}

function availableFolders(place: CommandLineToolPlace): CommandLineToolFolder[] {
  return systemDir(place) ? ['user', 'system'] : ['user'];
}

function systemDir(place: CommandLineToolPlace): string | null {
  if (place.systemDir !== undefined) return place.systemDir;
  return place.platform === 'win32' ? null : SYSTEM_DIR;
}

function userDir(place: CommandLineToolPlace): string {
  return join(place.home, '.local', 'bin');
}

/** On Windows a `porthole.cmd` that calls the launcher (a link there needs administrator rights); elsewhere a symbolic link. */
function linkName(place: CommandLineToolPlace): string {
  return place.platform === 'win32' ? 'porthole.cmd' : 'porthole';
}

async function folderState(place: CommandLineToolPlace, folder: CommandLineToolFolder): Promise<CommandLineToolFolderState> {
  const dir = folder === 'user' ? userDir(place) : systemDir(place);
  if (!dir) throw new PortholeError('usage', `There is no folder for every user's commands on ${place.platform}.`, { fix: `Install it for yourself, into ${userDir(place)}.` });
  const path = join(dir, linkName(place));
  const { occupant, target } = await occupantOf(place, path);
  return {
    folder,
    dir,
    path,
    occupant,
    ...(target ? { target } : {}),
    onPath: isOnPath(place, dir),
    ...(folder === 'system' ? { confirm: `Link porthole into ${dir} for every user of this computer? It replaces nothing that is not Porthole's.` } : {}),
  };
}

async function occupantOf(place: CommandLineToolPlace, path: string): Promise<{ occupant: CommandLineToolFolderState['occupant']; target?: string }> {
  const entry = await lstat(path).catch(() => undefined);
  if (!entry) return { occupant: 'none' };
  if (place.platform === 'win32' || !entry.isSymbolicLink()) {
    const text = entry.isFile() ? await readFile(path, 'utf8').catch(() => '') : '';
    if (!text.includes(LAUNCHER_MARK)) return { occupant: 'foreign' };
    return { occupant: text.includes(place.launcher) ? 'current' : 'stale' };
  }
  const target = resolve(dirname(path), await readlink(path));
  if (target === place.launcher) return { occupant: 'current', target };
  const text = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : ''));
  if (text === undefined) return { occupant: 'stale', target };
  return { occupant: text.includes(LAUNCHER_MARK) ? 'stale' : 'foreign', target };
}

/** Written beside its final name, then renamed over it: a link that exists is replaced in one step, never missing in between. */
async function placeLink(place: CommandLineToolPlace, path: string): Promise<void> {
  const staging = `${path}.porthole-${process.pid}`;
  await rm(staging, { force: true });
  if (place.platform === 'win32') {
    await writeFile(staging, `@echo off\r\nrem ${LAUNCHER_MARK}: Porthole's command line, installed by the app\r\n"${place.launcher}" %*\r\n`);
  } else {
    await symlink(place.launcher, staging);
  }
  await rename(staging, path);
}

function writeFailure(error: unknown, place: CommandLineToolPlace, state: CommandLineToolFolderState): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return error;
  return new PortholeError('usage', `Porthole may not change ${state.dir} (${code}).`, {
    fix: state.folder === 'system' ? `Run "sudo ln -sf '${place.launcher}' '${state.path}'" in a terminal, or install into ${userDir(place)} instead.` : `Check the permissions of ${state.dir}.`,
  });
}

function isOnPath(place: CommandLineToolPlace, dir: string): boolean {
  // Windows separates PATH with ';' and compares folder names without regard to case.
  const normal = (entry: string) => {
    const full = resolve(entry).replace(/[\\/]+$/, '');
    return place.platform === 'win32' ? full.toLowerCase() : full;
  };
  const wanted = normal(dir);
  return place.pathEnv.split(place.platform === 'win32' ? ';' : ':').some((entry) => entry.length > 0 && normal(entry) === wanted);
}

/** How to put the folder on PATH, in the words of the user's shell. */
export function pathHint(place: CommandLineToolPlace, dir: string): string {
  if (place.platform === 'win32') return `${dir} is not on your PATH: add it in Settings → System → About → Advanced system settings → Environment Variables, then open a new terminal.`;
  const shown = dir.startsWith(`${place.home}/`) ? `$HOME${dir.slice(place.home.length)}` : dir;
  const shellName = (place.shell ?? '').split('/').pop();
  const file = shellName === 'zsh' ? '~/.zprofile' : shellName === 'fish' ? undefined : shellName === 'bash' && place.platform === 'darwin' ? '~/.bash_profile' : '~/.profile';
  const how = file ? `echo 'export PATH="${shown}:$PATH"' >> ${file}` : `fish_add_path ${dir}`;
  return `${dir} is not on your PATH: add it with ${how}, then open a new terminal.`;
}
