import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { commandLineToolState, installCommandLineTool, LAUNCHER_MARK, pathHint, uninstallCommandLineTool, type CommandLineToolPlace } from './command-line-tool.js';

let root: string;
let place: CommandLineToolPlace;

/** A launcher like the app's: a script with Porthole's mark, in an app folder. */
async function launcherIn(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'porthole');
  await writeFile(file, `#!/bin/sh\n# ${LAUNCHER_MARK}: test\n`, { mode: 0o755 });
  return file;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-cli-tool-'));
  const home = join(root, 'home');
  await mkdir(home);
  place = { launcher: await launcherIn(join(root, 'app', 'resources', 'cli')), home, pathEnv: '/usr/bin:/bin', platform: 'linux', systemDir: join(root, 'usr-local-bin'), shell: '/bin/bash' };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const userLink = () => join(place.home, '.local', 'bin', 'porthole');

describe('installCommandLineTool', () => {
  it('links ~/.local/bin/porthole to the launcher, creating the folder, and says how to put it on PATH', async () => {
    const result = await installCommandLineTool(place, 'user');
    expect(await readlink(userLink())).toBe(place.launcher);
    expect(result).toMatchObject({ folder: 'user', path: userLink(), onPath: false, changed: true });
    expect(result.message).toBe(
      `Linked ${userLink()} to ${place.launcher}. ${join(place.home, '.local', 'bin')} is not on your PATH: add it with echo 'export PATH="$HOME/.local/bin:$PATH"' >> ~/.profile, then open a new terminal.`,
    );
  });

  it('says the folder is on PATH when it is', async () => {
    const result = await installCommandLineTool({ ...place, pathEnv: `/usr/bin:${join(place.home, '.local', 'bin')}/` }, 'user');
    expect(result.onPath).toBe(true);
    expect(result.message).toContain('is on your PATH: open a new terminal and run "porthole --help".');
  });

  it('changes nothing when it is already installed', async () => {
    await installCommandLineTool(place, 'user');
    const before = await lstat(userLink());
    const again = await installCommandLineTool(place, 'user');
    expect(again.changed).toBe(false);
    expect(again.message).toContain('is already linked to');
    expect((await lstat(userLink())).ino).toBe(before.ino);
  });

  it("replaces Porthole's link to a copy of the app that moved away or to another copy", async () => {
    const old = await launcherIn(join(root, 'old-app'));
    await mkdir(join(place.home, '.local', 'bin'), { recursive: true });
    await symlink(old, userLink());
    expect((await commandLineToolState(place)).folders[0]).toMatchObject({ occupant: 'stale', target: old });
    await installCommandLineTool(place, 'user');
    expect(await readlink(userLink())).toBe(place.launcher);
    await rm(join(root, 'app'), { recursive: true });
    const moved = { ...place, launcher: await launcherIn(join(root, 'moved-app')) };
    expect((await commandLineToolState(moved)).folders[0]!.occupant).toBe('stale');
    expect((await installCommandLineTool(moved, 'user')).changed).toBe(true);
    expect(await readlink(userLink())).toBe(moved.launcher);
  });

  it('refuses to replace a porthole that is not Porthole\'s, and leaves it as it was', async () => {
    await mkdir(join(place.home, '.local', 'bin'), { recursive: true });
    await writeFile(userLink(), '#!/bin/sh\necho mine\n');
    const refused = await installCommandLineTool(place, 'user').catch((error: unknown) => error);
    expect(isPortholeError(refused, 'usage')).toBe(true);
    expect((refused as Error).message).toBe(
      `${userLink()} already exists and is not Porthole's command line tool, so Porthole leaves it alone. Remove or rename it yourself to put Porthole's there.`,
    );
    expect(await readFile(userLink(), 'utf8')).toBe('#!/bin/sh\necho mine\n');

    await rm(userLink());
    await symlink('/bin/sh', userLink());
    await expect(installCommandLineTool(place, 'user')).rejects.toThrow(`(it points at /bin/sh)`);
    expect(await readlink(userLink())).toBe('/bin/sh');
  });

  it('links into the system folder, which asks first, and names the user folder when it refuses there', async () => {
    const state = await commandLineToolState(place);
    expect(state.folders.map((f) => [f.folder, f.path, f.occupant, f.confirm !== undefined])).toEqual([
      ['user', userLink(), 'none', false],
      ['system', join(root, 'usr-local-bin', 'porthole'), 'none', true],
    ]);
    await installCommandLineTool(place, 'system');
    expect(await readlink(join(root, 'usr-local-bin', 'porthole'))).toBe(place.launcher);
    await rm(join(root, 'usr-local-bin', 'porthole'));
    await writeFile(join(root, 'usr-local-bin', 'porthole'), 'another');
    await expect(installCommandLineTool(place, 'system')).rejects.toThrow(`or install into ${join(place.home, '.local', 'bin')} instead.`);
  });

  it('writes a porthole.cmd that calls the launcher on Windows', async () => {
    const windows: CommandLineToolPlace = { ...place, platform: 'win32', launcher: 'C:\\Program Files\\Porthole\\resources\\cli\\porthole.cmd', home: place.home, systemDir: null };
    expect((await commandLineToolState(windows)).folders.map((f) => f.folder)).toEqual(['user']);
    const result = await installCommandLineTool(windows, 'user');
    const text = await readFile(result.path, 'utf8');
    expect(result.path.endsWith('porthole.cmd')).toBe(true);
    expect(text).toContain('"C:\\Program Files\\Porthole\\resources\\cli\\porthole.cmd" %*\r\n');
    expect((await installCommandLineTool(windows, 'user')).changed).toBe(false);
    await expect(installCommandLineTool(windows, 'system')).rejects.toThrow('There is no folder for every user');
  });
});

describe('uninstallCommandLineTool', () => {
  it("removes Porthole's links from both folders, and is a no-op the second time", async () => {
    await installCommandLineTool(place, 'user');
    await installCommandLineTool(place, 'system');
    const removed = await uninstallCommandLineTool(place);
    expect(removed.removed).toEqual([userLink(), join(root, 'usr-local-bin', 'porthole')]);
    await expect(lstat(userLink())).rejects.toThrow(/ENOENT/);
    expect(await uninstallCommandLineTool(place)).toEqual({ removed: [], message: "Porthole's command line tool was not installed: there was nothing to remove." });
  });

  it('leaves a porthole that is not Porthole\'s', async () => {
    await mkdir(join(place.home, '.local', 'bin'), { recursive: true });
    await symlink('/bin/sh', userLink());
    expect((await uninstallCommandLineTool(place)).removed).toEqual([]);
    expect(await readlink(userLink())).toBe('/bin/sh');
  });
});

describe('pathHint', () => {
  it("names the profile file of the user's shell", () => {
    const dir = join(place.home, '.local', 'bin');
    expect(pathHint({ ...place, shell: '/bin/zsh', platform: 'darwin' }, dir)).toContain(`>> ~/.zprofile`);
    expect(pathHint({ ...place, shell: '/bin/bash', platform: 'darwin' }, dir)).toContain(`>> ~/.bash_profile`);
    expect(pathHint({ ...place, shell: '/usr/bin/fish' }, dir)).toContain(`fish_add_path ${dir}`);
  });
});
