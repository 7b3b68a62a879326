#!/usr/bin/env node
// Installs the pinned code-server into a cache folder outside the repository,
// once, for the suites that start a real code-server on loopback. Prints the
// path of its binary as the last line of stdout (`--json`: {"bin", "version"}).
//
// Debian has no code-server package, and a plain `npm install` of it fails
// here in four ways: as root its postinstall needs unsafe-perm; kerberos
// builds against libkrb5-dev; @vscode/ripgrep downloads from GitHub (seeded
// from Debian's ripgrep instead); node-pty's postinstall runs `npx node-gyp`,
// which must not wait for a prompt.
//
//   node scripts/install-code-server.mjs [--json]
//   PORTHOLE_CODE_SERVER_DIR=/some/dir node scripts/install-code-server.mjs

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CODE_SERVER_VERSION = '4.100.3';
// The ripgrep build @vscode/ripgrep 1.15.11 (code-server 4.100.3's) asks for; Debian 12's rg is the same 13.0.0.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const json = process.argv.includes('--json');
const say = (line) => process.stderr.write(`[code-server] ${line}\n`);

function fail(message) {
  process.stderr.write(`[code-server] cannot install code-server ${CODE_SERVER_VERSION}: ${message}\n`);
  process.exit(1);
}

/**
 * A machine-wide cache when it can be written (the test runner gives each
 * run a throwaway HOME, so a per-home cache would reinstall every time),
 * else the user's own cache.
 */
function installDir() {
  if (process.env.PORTHOLE_CODE_SERVER_DIR) return process.env.PORTHOLE_CODE_SERVER_DIR;
  const machine = '/var/cache/porthole-test';
  try {
    mkdirSync(machine, { recursive: true });
    accessSync(machine, constants.W_OK);
    return join(machine, `code-server-${CODE_SERVER_VERSION}`);
  } catch {
    const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
    return join(cache, 'porthole-test', `code-server-${CODE_SERVER_VERSION}`);
  }
}

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function checkPrerequisites() {
  const missing = [];
  if (!which('rg')) missing.push('ripgrep (its rg seeds @vscode/ripgrep, which would download from GitHub)');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !which('krb5-config')) missing.push('libkrb5-dev (the kerberos module builds against it)');
  if (!which('cc') || !which('make') || !which('g++')) missing.push('build-essential (node-pty and kerberos compile native code)');
  if (!which('pkg-config')) missing.push('pkg-config');
  if (!which('python3')) missing.push('python3 (node-gyp runs on it)');
  if (missing.length > 0) fail(`missing Debian packages: ${missing.join('; ')}. Install them with "apt-get install -y libkrb5-dev ripgrep build-essential pkg-config python3".`);
}

function seedRipgrep(tmp) {
  const cacheDir = join(tmp, RIPGREP_CACHE);
  mkdirSync(cacheDir, { recursive: true });
  const archive = join(cacheDir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  const rg = which('rg');
  const stage = join(tmp, 'rg-stage');
  mkdirSync(stage, { recursive: true });
  writeFileSync(join(stage, 'rg'), readFileSync(rg), { mode: 0o755 });
  const tar = spawnSync('tar', ['-czf', archive, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) fail('could not pack Debian\'s rg into the @vscode/ripgrep cache');
}

function installed(dir) {
  const bin = join(dir, 'node_modules', '.bin', 'code-server');
  const marker = join(dir, 'installed-version');
  return existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION ? bin : undefined;
}

function report(bin) {
  if (json) process.stdout.write(`${JSON.stringify({ bin, version: CODE_SERVER_VERSION })}\n`);
  else process.stdout.write(`${bin}\n`);
}

const dir = installDir();
const cached = installed(dir);
if (cached) {
  report(cached);
  process.exit(0);
}

checkPrerequisites();
say(`installing into ${dir} (about a minute)`);
// A half-finished earlier install has no marker; start it over rather than trust it.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const tmp = join(dir, 'tmp');
mkdirSync(tmp, { recursive: true });
seedRipgrep(tmp);
writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'porthole-test-code-server', private: true }, null, 2)}\n`);

const npm = spawnSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--omit=dev'], {
  cwd: dir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
  },
});
if (npm.error) fail(`npm could not be started: ${npm.error.message}`);
if (npm.status !== 0) fail(`npm install exited with ${npm.status}; its output is above`);

const bin = join(dir, 'node_modules', '.bin', 'code-server');
const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
if (version.status !== 0 || !version.stdout.startsWith(CODE_SERVER_VERSION)) {
  fail(`the installed code-server does not run: ${(version.stderr || version.stdout || String(version.error)).trim()}`);
}
writeFileSync(join(dir, 'installed-version'), `${CODE_SERVER_VERSION}\n`);
rmSync(tmp, { recursive: true, force: true });
say(`installed ${version.stdout.split('\n')[0]}`);
report(bin);
