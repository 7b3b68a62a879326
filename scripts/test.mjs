#!/usr/bin/env node
// `npm test`: the whole check, the same on a fresh Debian machine, a
// developer's desktop and CI (a clean clone, as root, CI=true, no stdin).
//
//   npm test                          lint, typecheck, every test
//   npm test -- test/integration/x    lint, typecheck, then only that path
//   npm test -- --private-keyring     use a throwaway keyring even when a
//                                     desktop session bus is there
//
// The integration suites talk to real services: the Secret Service (through
// keytar), a private sshd, Chromium, the AWS CLI. This script makes sure the
// Debian packages behind them are installed and that a Secret Service is
// reachable, then runs the phases in order and stops at the first failure.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scriptPath = fileURLToPath(import.meta.url);
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);

const DEBIAN_PACKAGES = [
  'gnome-keyring',
  'dbus',
  'libsecret-1-0',
  'libsecret-tools',
  'chromium',
  'awscli',
  // The SSO CLI suite's stand-in browser approves the sign-in with curl.
  'curl',
  'openssh-client',
  'openssh-server',
  'shellcheck',
  // code-server for the launch script suites: kerberos builds against libkrb5-dev, rg comes from ripgrep.
  'libkrb5-dev',
  'ripgrep',
  'build-essential',
  'pkg-config',
  'gnupg',
  'iproute2',
  // The dashboard suite: a private X display whose clipboard receives a copied password, read back with xclip.
  'xvfb',
  'xclip',
  // The desktop app's certificate pin spec makes self-signed certificates with openssl.
  'openssl',
  // porthole cp copies with rsync over ssh where it is installed (its suite also forces scp).
  'rsync',
];

const INSIDE_KEYRING = '--inside-keyring';
const PRIVATE_KEYRING = '--private-keyring';

const say = (line) => console.log(`[test] ${line}`);

function parseArgs(argv) {
  const flags = new Set();
  const vitestArgs = [];
  for (const arg of argv) {
    if (arg === INSIDE_KEYRING || arg === PRIVATE_KEYRING) flags.add(arg);
    else if (arg !== '--' || vitestArgs.length > 0) vitestArgs.push(arg);
  }
  return { insideKeyring: flags.has(INSIDE_KEYRING), privateKeyring: flags.has(PRIVATE_KEYRING), vitestArgs };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.trim().endsWith('install ok installed');
  });
}

function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`[test] could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function ensureDebianPackages() {
  if (spawnSync('dpkg-query', ['--version']).error) {
    say('packages: no dpkg here, so the Debian package check is skipped');
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    say(`packages: ${DEBIAN_PACKAGES.length} Debian packages present`);
    return;
  }
  const installArgs = ['install', '-y', '--no-install-recommends', ...missing];
  if (!isRoot()) {
    console.error(`[test] packages: missing ${missing.join(' ')}; install them with:`);
    console.error(`sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get ${installArgs.join(' ')}`);
    process.exit(1);
  }
  say(`packages: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const stdio = ['ignore', 'inherit', 'inherit'];
  if ((await run('apt-get', ['update'], { env, stdio })) !== 0 || (await run('apt-get', installArgs, { env, stdio })) !== 0) {
    console.error('[test] packages: apt-get failed');
    process.exit(1);
  }
}

/**
 * Runs this script again inside a private D-Bus session with an unlocked
 * gnome-keyring, so keychain tests never prompt and never touch a real login
 * keyring. HOME must be a real directory: with a missing one, Secret Service
 * calls hang until D-Bus times out.
 */
async function reexecInsideKeyring(vitestArgs) {
  const home = mkdtempSync(join(tmpdir(), 'porthole-test-home-'));
  const runtimeDir = join(home, 'run');
  mkdirSync(runtimeDir, { mode: 0o700 });
  const realHome = homedir();
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: runtimeDir,
    // npm would otherwise look for its cache and settings in the empty HOME.
    npm_config_cache: process.env.npm_config_cache ?? join(realHome, '.npm'),
    npm_config_userconfig: process.env.npm_config_userconfig ?? join(realHome, '.npmrc'),
  };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.GNOME_KEYRING_CONTROL;
  say(`keyring: private D-Bus session with an unlocked gnome-keyring, HOME=${home}`);
  const inner =
    'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1; exec "$@"';
  const code = await run(
    'dbus-run-session',
    ['--', 'sh', '-c', inner, 'sh', process.execPath, scriptPath, INSIDE_KEYRING, ...vitestArgs],
    { env },
  );
  rmSync(home, { recursive: true, force: true });
  return code;
}

function ensureSshdRuntimeDir() {
  // sshd refuses to start without its privilege-separation directory, which
  // only exists once the system sshd service has run.
  try {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  } catch (error) {
    say(`sshd: cannot create /run/sshd (${error.code}); the private-sshd tests will fail`);
  }
}

async function phase(name, command, args) {
  say(`${name}: ${[command.startsWith(repoRoot) ? command.slice(repoRoot.length + 1) : command, ...args].join(' ')}`);
  const code = await run(command, args);
  if (code !== 0) {
    console.error(`[test] ${name} failed (exit ${code})`);
    process.exit(code);
  }
}

const { insideKeyring, privateKeyring, vitestArgs } = parseArgs(process.argv.slice(2));

if (!insideKeyring) {
  await ensureDebianPackages();
  // macOS and Windows keychains need no session bus; only Linux has the Secret Service.
  if (process.platform === 'linux' && (privateKeyring || !process.env.DBUS_SESSION_BUS_ADDRESS)) {
    process.exit(await reexecInsideKeyring(vitestArgs));
  }
  if (process.platform === 'linux') say('keyring: using the Secret Service on the current session bus');
}

ensureSshdRuntimeDir();
await phase('lint', bin('eslint'), ['.']);
await phase('typecheck', 'npm', ['run', '--silent', 'typecheck']);
say(`test: vitest run ${vitestArgs.join(' ')}`.trimEnd());
process.exit(await run(bin('vitest'), ['run', ...vitestArgs]));
