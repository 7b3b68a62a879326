import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { codeServerHome } from './code-server-home.js';
import { FolderLockTimeout, withFolderLock } from './folder-lock.js';

/** The last code-server release that runs on Node 20; later ones want Node 22 or 24. */
export const CODE_SERVER_VERSION = '4.100.3';
// The ripgrep build @vscode/ripgrep 1.15.11 (code-server 4.100.3's) asks for; Debian 12's rg is the same 13.0.0.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const INSTALL_FOLDER = `code-server-${CODE_SERVER_VERSION}`;

export const CODE_SERVER_MISSING = `no code-server is installed for the sandbox, so its instances cannot run one. Run "porthole sandbox install" (code-server ${CODE_SERVER_VERSION}, about a minute and 300 MB).`;

/** The machine-wide cache the test suites share (install-code-server.mjs fills it), then the user's own. */
const MACHINE_CACHE = '/var/cache/porthole-test';
const userCacheDir = (env: NodeJS.ProcessEnv) => join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'porthole-test', INSTALL_FOLDER);

/** The shared machine cache when it can be written, else the user's own cache. */
export function cacheInstallDir(env: NodeJS.ProcessEnv = process.env): string {
  try {
    mkdirSync(MACHINE_CACHE, { recursive: true });
    accessSync(MACHINE_CACHE, constants.W_OK);
    return join(MACHINE_CACHE, INSTALL_FOLDER);
  } catch {
    return userCacheDir(env);
  }
}

/** Where a finished install may be, in the order the sandbox looks: Porthole's data folder, then the caches. */
export function codeServerSearchDirs(dataDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [dataInstallDir(dataDir), join(MACHINE_CACHE, INSTALL_FOLDER), userCacheDir(env)];
}

/** The install folder under a Porthole data folder (where `porthole sandbox install` puts it). */
export function dataInstallDir(dataDir: string): string {
  return join(dataDir, INSTALL_FOLDER);
}

/** The binary in an install folder, when a finished install of the pinned version is there. */
export function installedCodeServer(dir: string): string | undefined {
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  const marker = join(dir, 'installed-version');
  return existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION ? bin : undefined;
}

/** The first finished install among the folders, in order; `PORTHOLE_CODE_SERVER_BIN` names one outright. */
export function findCodeServer(dirs: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.PORTHOLE_CODE_SERVER_BIN;
  if (named && existsSync(named)) return named;
  for (const dir of dirs) {
    const bin = installedCodeServer(dir);
    if (bin) return bin;
  }
  return undefined;
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** What the build needs from Debian, named by package, or nothing when all is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!which('rg')) missing.push('ripgrep (its rg seeds @vscode/ripgrep, which would download from GitHub)');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) missing.push('libkrb5-dev (the kerberos module builds against it)');
  if (!which('cc') || !which('make') || !which('g++')) missing.push('build-essential (node-pty and kerberos compile native code)');
  if (!which('pkg-config')) missing.push('pkg-config');
  if (!which('python3')) missing.push('python3 (node-gyp runs on it)');
  return missing;
}

export class CodeServerInstallError extends Error {}

/**
 * Installs the pinned code-server into `dir` with npm, unless it is there.
 * A plain `npm install code-server` fails here in four ways, each handled:
 * as root its postinstall needs unsafe-perm; kerberos builds against
 * libkrb5-dev; @vscode/ripgrep downloads from GitHub (seeded from Debian's
 * ripgrep instead); node-pty's postinstall runs `npx node-gyp`, which must
 * not wait for a prompt. Answers the path of the binary.
 */
export function installCodeServer(dir: string, say: (line: string) => void = () => {}): string {
  const cached = installedCodeServer(dir);
  if (cached) return cached;
  const missing = missingPrerequisites();
  if (missing.length > 0) {
    throw new CodeServerInstallError(
      `missing Debian packages: ${missing.join('; ')}. Install them with "sudo apt-get install -y libkrb5-dev ripgrep build-essential pkg-config python3".`,
    );
  }
  mkdirSync(dirname(dir), { recursive: true });
  try {
    return withFolderLock(`${dir}.lock`, say, () => {
      // The install this one waited for may have finished it.
      const finished = installedCodeServer(dir);
      if (finished) return finished;
      say(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute)`);
      // A half-finished earlier install has no marker; start it over rather than trust it.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      try {
        return installInto(dir, say);
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof FolderLockTimeout) throw new CodeServerInstallError(error.message);
    throw error;
  }
}

function installInto(dir: string, say: (line: string) => void): string {
  const tmp = join(dir, 'tmp');
  seedRipgrep(tmp);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'porthole-code-server', private: true }, null, 2)}\n`);
  const npm = spawnSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--omit=dev'], {
    cwd: dir,
    // npm's progress goes to stderr so stdout stays for the result (--json).
    stdio: ['ignore', 2, 'inherit'],
    env: { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_update_notifier: 'false' },
  });
  if (npm.error) throw new CodeServerInstallError(`npm could not be started: ${npm.error.message}`);
  if (npm.status !== 0) throw new CodeServerInstallError(`npm install exited with ${npm.status}; its output is above`);
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  const version = checkCodeServer(bin, join(tmp, 'home'));
  writeFileSync(join(dir, 'installed-version'), `${CODE_SERVER_VERSION}\n`);
  rmSync(tmp, { recursive: true, force: true });
  say(`installed ${version}`);
  return bin;
}

/**
 * The line of `code-server --version` that names the version ("4.100.3
 * <commit> with Code 1.100.3"), wherever it is: on its first run code-server
 * prints where it wrote its default config file before it.
 */
export function versionLine(output: string, version: string = CODE_SERVER_VERSION): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line === version || line.startsWith(`${version} `));
}

/**
 * Runs `bin --version` with a HOME and XDG folders of its own under
 * `scratch`, so nothing lands in the user's ~/.config/code-server, and
 * answers its version line; throws when it does not run or is another version.
 */
export function checkCodeServer(bin: string, scratch: string, env: NodeJS.ProcessEnv = process.env): string {
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...env, ...codeServerHome(scratch) }, timeout: 60_000 });
  const line = run.status === 0 ? versionLine(run.stdout) : undefined;
  if (line) return line;
  const said = [run.stdout, run.stderr].filter(Boolean).join('\n').trim() || String(run.error ?? `exit ${run.status}`);
  throw new CodeServerInstallError(`the installed code-server ${bin} does not run as version ${CODE_SERVER_VERSION}: ${said}`);
}

function seedRipgrep(tmp: string): void {
  const cacheDir = join(tmp, RIPGREP_CACHE);
  mkdirSync(cacheDir, { recursive: true });
  const archive = join(cacheDir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  const stage = join(tmp, 'rg-stage');
  mkdirSync(stage, { recursive: true });
  writeFileSync(join(stage, 'rg'), readFileSync(which('rg')!), { mode: 0o755 });
  const tar = spawnSync('tar', ['-czf', archive, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new CodeServerInstallError("could not pack Debian's rg into the @vscode/ripgrep cache");
}
