import { execFile, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The app as electron-builder packs it (`--dir`, the unpacked Linux app,
 * from electron-builder.yml as it is), then the `porthole` command line it
 * ships, run through its launcher. Electron cannot run here, so the
 * Electron distribution electron-builder copies is a stand-in: a script
 * that, as Electron does with ELECTRON_RUN_AS_NODE=1, runs its first
 * argument as a Node script (with this Node). Two overrides, both because
 * nothing may be downloaded: that stand-in (electronDist) and no rebuild of
 * keytar against Electron's headers (npmRebuild).
 */

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const requireFromBuilder = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('electron-builder'));
const asar = requireFromBuilder('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };

let work: string;
let resources: string;

beforeAll(async () => {
  // A copy of what electron-builder reads, so the build goes to a private out/ that no other suite serves.
  // node_modules is hard-linked (a symlink hides optional platform packages such as argon2's from
  // electron-builder's collector), hence a folder inside the checkout: the same file system.
  await mkdir(join(repoRoot, '.porthole-test'), { recursive: true });
  work = await mkdtemp(join(repoRoot, '.porthole-test', 'pack-'));
  const project = join(work, 'project');
  await mkdir(project);
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) await cp(join(repoRoot, file), join(project, file));
  for (const dir of ['assets', 'resources']) await cp(join(repoRoot, dir), join(project, dir), { recursive: true });
  await run('cp', ['-al', join(repoRoot, 'node_modules'), join(project, 'node_modules')]);
  await run('npm', ['run', 'build'], { cwd: repoRoot, env: { ...process.env, PORTHOLE_OUT_DIR: join(project, 'out') } });

  const electronDist = join(work, 'electron-dist');
  await mkdir(electronDist);
  await writeFile(join(electronDist, 'electron'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || exit 70\nexec "${process.execPath}" "$@"\n`);
  await chmod(join(electronDist, 'electron'), 0o755);
  await writeFile(join(electronDist, 'version'), '45.5.0');
  await run('npx', ['electron-builder', '--linux', 'dir', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${join(work, 'dist')}`], {
    cwd: project,
    env: { ...process.env, CI: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  resources = join(work, 'dist', 'linux-unpacked', 'resources');
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed app', () => {
  it('holds the command line in resources/cli: its bundle and both launchers, the POSIX one executable', async () => {
    for (const file of ['porthole.cjs', 'porthole', 'porthole.cmd']) expect((await stat(join(resources, 'cli', file))).isFile(), file).toBe(true);
    expect((await stat(join(resources, 'cli', 'porthole'))).mode & 0o111).toBe(0o111);
    expect(await readFile(join(resources, 'cli', 'porthole.cmd'), 'utf8')).toContain('\r\n');
  });

  it('keeps main, preload and renderer in the asar, and the native addons the command line requires outside it', async () => {
    const files = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    expect(files).toEqual(expect.arrayContaining(['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']));
    for (const addon of ['keytar/package.json', '@node-rs/argon2/package.json']) {
      expect((await stat(join(resources, 'app.asar.unpacked', 'node_modules', addon))).isFile(), addon).toBe(true);
    }
  });

  it('ships the dashboard a second time outside the asar, for the command line\'s porthole ui', async () => {
    expect(await readFile(join(resources, 'renderer', 'index.html'), 'utf8')).toContain('<div id="root">');
  });
});

describe('the shipped porthole command', () => {
  const launcher = () => join(resources, 'cli', 'porthole');

  it('runs porthole --version under plain Node (PORTHOLE_RUNTIME=node), reached through a link in another folder', async () => {
    const bin = join(work, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(launcher(), join(bin, 'porthole'));
    const { stdout } = await run(join(bin, 'porthole'), ['--version'], { env: { ...process.env, PORTHOLE_RUNTIME: process.execPath } });
    expect(stdout.trim()).toBe(version);
  });

  it('runs with the app executable beside resources/, as Node (ELECTRON_RUN_AS_NODE), when no runtime is named', async () => {
    const env = { ...process.env };
    delete env.PORTHOLE_RUNTIME;
    const { stdout } = await run(launcher(), ['--version'], { env });
    expect(stdout.trim()).toBe(version);
  });

  it('installs itself: porthole install-cli links ~/.local/bin/porthole to the launcher inside the app, which then runs', async () => {
    const home = join(work, 'home');
    await mkdir(home, { recursive: true });
    const env = { ...process.env, HOME: home, PORTHOLE_RUNTIME: process.execPath };
    const { stdout } = await run(launcher(), ['--json', 'install-cli'], { env });
    const link = join(home, '.local', 'bin', 'porthole');
    expect(JSON.parse(stdout)).toMatchObject({ folder: 'user', path: link, changed: true });
    expect(await readlink(link)).toBe(launcher());
    expect((await run(link, ['--version'], { env })).stdout.trim()).toBe(version);
  });

  it('lists the Sandbox account\'s workspaces, with its native addons (keychain, argon2) loaded from the app', async () => {
    const dataDir = join(work, 'data');
    const { stdout } = await run(launcher(), ['--json', '--data-dir', dataDir, 'ls'], { env: { ...process.env, PORTHOLE_RUNTIME: process.execPath, PORTHOLE_HOME: dataDir } });
    expect(JSON.parse(stdout)).toEqual([]);
  }, 60_000);

  it('serves the dashboard the app ships with porthole ui, under plain Node and without building anything', async () => {
    const dataDir = join(work, 'ui-data');
    const child = spawn(launcher(), ['--json', '--data-dir', dataDir, 'ui', '--no-open'], { env: { ...process.env, PORTHOLE_RUNTIME: process.execPath, PORTHOLE_HOME: dataDir } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
        });
        child.once('exit', (code) => reject(new Error(`porthole ui exited with ${code}: ${stderr}`)));
      });
      // The one-time link trades its token for the session cookie, as a browser does.
      const granted = await fetch(url, { redirect: 'manual' });
      expect(granted.status).toBe(303);
      const cookie = granted.headers.get('set-cookie')!.split(';')[0]!;
      const page = await (await fetch(new URL('/', url), { headers: { cookie } })).text();
      expect(page).toContain('<div id="root">');
      const script = /<script[^>]+src="([^"]+)"/.exec(page)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(new URL(script!, url), { headers: { cookie } })).status).toBe(200);
      expect(stderr).not.toMatch(/Building the dashboard/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('starts the app executable beside resources/ as the desktop app for porthole app, not the browser dashboard', async () => {
    // The stand-in exits 70 when it is started as an app rather than as Node: what the real app executable then does is Electron's.
    const failure = await run(launcher(), ['app'], { env: { ...process.env, PORTHOLE_RUNTIME: process.execPath } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(70);
    expect(failure?.stderr).not.toMatch(/opening the dashboard in the browser/);
  });
});
