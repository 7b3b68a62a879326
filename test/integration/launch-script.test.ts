import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LAYERS } from '../../src/core/provision/builtin-layers.js';
import { builtinCatalog, composable } from '../../src/core/provision/layer-catalog.js';
import { composeLayers } from '../../src/core/provision/layer-composition.js';
import { buildLaunchScript, renderScript, ROOT_LAYER } from '../../src/core/provision/launch-script.js';
import { CODE_SERVER_RELEASE, codeServerDebUrl } from '../../src/core/provision/release-pins.js';
import { scriptPrelude } from '../../src/core/provision/script-prelude.js';
import { packedStub, USER_DATA_LIMIT_BYTES } from '../../src/core/provision/user-data-packing.js';
import { hashPassword } from '../../src/core/secrets/password.js';
import type { AccessMode } from '../../src/shared/workspace.js';

const SHELLCHECK = '/usr/bin/shellcheck';

function shellcheck(script: string): { code: number | null; output: string } {
  const run = spawnSync(SHELLCHECK, ['-s', 'bash', '-'], { input: script, encoding: 'utf8' });
  if (run.error) throw new Error(`shellcheck could not run (${run.error.message}); install Debian's shellcheck`);
  return { code: run.status, output: run.stdout + run.stderr };
}

function bash(script: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Every subset of the optional built-in layers; base is in all of them. */
const LAYER_SETS: string[][] = (() => {
  const optional = BUILTIN_LAYERS.map((l) => l.name).filter((name) => name !== ROOT_LAYER);
  return Array.from({ length: 2 ** optional.length }, (_, mask) => [ROOT_LAYER, ...optional.filter((_, i) => mask & (1 << i))]);
})();

/** A user layer big enough to push the script past Lightsail's 16 KB, so it ships compressed. */
function bigLayerEnvironment() {
  const catalog = composable(builtinCatalog());
  const notes = Array.from({ length: 400 }, (_, i) => `note ${i}: keep the build fast and the tests real`).join('\n');
  catalog.set('notes', {
    label: 'notes.json',
    layer: { name: 'notes', description: 'many notes', extends: ['admin'], files: [{ path: '/home/porthole/notes.txt', content: `${notes}\n` }] },
  });
  return composeLayers(['notes'], catalog, '--layers', [ROOT_LAYER]);
}

describe('launch script', () => {
  let dir: string;
  let password: string;
  let passwordHash: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-launch-'));
    password = `pw-${randomBytes(12).toString('base64url')}`;
    passwordHash = await hashPassword(password);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe.each(['tunnel', 'direct'] as AccessMode[])('%s access', (accessMode) => {
    it.each(LAYER_SETS.map((layers) => [layers.join('+'), layers] as const))('passes shellcheck for %s', (_label, layers) => {
      const built = buildLaunchScript({ passwordHash, accessMode, idleTimeoutMinutes: 30, layers });
      expect(built.script.startsWith('#!/bin/bash\n')).toBe(true);
      expect(built.script).toContain('set -euo pipefail');
      const result = shellcheck(built.script);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
      expect(bash(`bash -n <<'SCRIPT_UNDER_TEST'\n${built.script}\nSCRIPT_UNDER_TEST`).status).toBe(0);
    });
  });

  it('never holds the plain password, only its argon2 hash', () => {
    for (const layers of LAYER_SETS) {
      for (const accessMode of ['tunnel', 'direct'] as const) {
        const built = buildLaunchScript({ passwordHash, accessMode, idleTimeoutMinutes: 30, layers });
        expect(built.script).not.toContain(password);
        expect(built.userData).not.toContain(password);
        expect(built.script).toContain(`hashed-password: '${passwordHash}'`);
      }
    }
    const big = buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30, layers: bigLayerEnvironment() });
    expect(big.script).not.toContain(password);
  });

  it('refuses a password that is not an argon2 hash', () => {
    expect(() => buildLaunchScript({ passwordHash: password, accessMode: 'tunnel', idleTimeoutMinutes: 30 })).toThrow(/argon2 PHC hash/);
    expect(() => buildLaunchScript({ passwordHash: `${passwordHash}'\nauth: none`, accessMode: 'tunnel', idleTimeoutMinutes: 30 })).toThrow(/argon2 PHC hash/);
  });

  it('writes the code-server config for each access mode', () => {
    const tunnel = buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30 }).script;
    expect(tunnel).toContain('bind-addr: 127.0.0.1:8080\ncert: false\nauth: password\n');
    const direct = buildLaunchScript({ passwordHash, accessMode: 'direct', idleTimeoutMinutes: 30 }).script;
    expect(direct).toContain('bind-addr: 0.0.0.0:8443\ncert: /etc/porthole/tls/cert.pem\ncert-key: /etc/porthole/tls/key.pem\nauth: password\n');
    for (const script of [tunnel, direct]) {
      expect(script).toContain('disable-telemetry: true\ndisable-update-check: true\n');
      expect(script).toContain('systemctl restart porthole-code-server.service');
      expect(script).toContain('Restart=always');
      expect(script).toContain('timeout_minutes=30\nwarning_lead_minutes=5\n');
    }
  });

  it('ships the script as is while it fits in 16 KB', () => {
    const built = buildLaunchScript({ passwordHash, accessMode: 'direct', idleTimeoutMinutes: 30, layers: ['admin'] });
    expect(Buffer.byteLength(built.script)).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    expect(built.compressed).toBe(false);
    expect(built.userData).toBe(built.script);
  });

  it('compresses a larger script behind a stub that passes shellcheck and unpacks to exactly the script', () => {
    const built = buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30, layers: bigLayerEnvironment() });
    expect(Buffer.byteLength(built.script)).toBeGreaterThan(USER_DATA_LIMIT_BYTES);
    expect(built.compressed).toBe(true);
    expect(Buffer.byteLength(built.userData)).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    expect(shellcheck(built.userData)).toEqual({ code: 0, output: '' });
    // The stub's own unpacking, minus the final exec: what bash would be handed.
    const unpack = built.userData.replace('exec bash <(base64 -d <<<"$payload" | gunzip)', 'base64 -d <<<"$payload" | gunzip');
    const run = bash(unpack);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(built.script);
  });

  it('runs a compressed script through its stub, with stdin left to the steps', async () => {
    const out = join(dir, 'packed-out');
    const filler = Array.from({ length: 400 }, (_, i) => `# filler line ${i} ${createHash('sha256').update(String(i)).digest('hex')}`).join('\n');
    const script = `#!/bin/bash\nset -euo pipefail\n${filler}\nread -r line\necho "ran with $line" >${out}\n`;
    const stub = packedStub(script);
    expect(Buffer.byteLength(stub)).toBeLessThan(Buffer.byteLength(script));
    await writeFile(join(dir, 'stub.sh'), stub);
    const run = spawnSync('bash', [join(dir, 'stub.sh')], { input: 'stdin-for-the-step\n', encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('ran with stdin-for-the-step\n');
  });

  it('refuses layers too large even compressed, saying what to do', () => {
    const catalog = composable(builtinCatalog());
    catalog.set('huge', { label: 'huge.json', layer: { name: 'huge', description: 'x', files: [{ path: '/opt/huge/blob', content: randomBytes(30_000).toString('base64') }] } });
    const environment = composeLayers(['huge'], catalog, '--layers', [ROOT_LAYER]);
    expect(() => buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30, layers: environment })).toThrow(/Lightsail allows 16384.*dotfiles repository/s);
  });

  it('is the same text for the same input', () => {
    const one = buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30, layers: ['devops', 'developer'] });
    const two = buildLaunchScript({ passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 30, layers: ['devops', 'developer'] });
    expect(two.userData).toBe(one.userData);
  });
});

describe('launch script step runner', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-steps-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('logs each step, writes progress markers, and skips finished steps on a re-run', async () => {
    const state = join(dir, 'state');
    const ran = join(dir, 'ran');
    const script = renderScript(
      [
        { name: 'first', body: `echo first >>${ran}`, digest: 'a'.repeat(64) },
        { name: 'second thing', body: `echo second >>${ran}`, digest: 'b'.repeat(64) },
        { name: 'always', body: `echo always >>${ran}` },
      ],
      'test',
      state,
    );
    expect(shellcheck(script)).toEqual({ code: 0, output: '' });
    expect(bash(script).status).toBe(0);
    expect(await readFile(join(state, 'progress'), 'utf8')).toBe(
      ['step 1 of 3 first running', 'step 1 of 3 first ok', 'step 2 of 3 second thing running', 'step 2 of 3 second thing ok', 'step 3 of 3 always running', 'step 3 of 3 always ok', ''].join('\n'),
    );
    expect(existsSync(join(state, 'steps', `${'a'.repeat(64)}.done`))).toBe(true);
    const second = bash(script);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/step 1 of 3: first: already done/);
    expect(await readFile(ran, 'utf8')).toBe('first\nsecond\nalways\nalways\n');
    expect(await readFile(join(state, 'launch.log'), 'utf8')).toMatch(/porthole: step 2 of 3: second thing\n/);
  });

  it('marks a failing step failed, stops there, and runs it again next time', async () => {
    const state = join(dir, 'failing');
    const flag = join(dir, 'flag');
    const script = renderScript(
      [
        { name: 'flaky', body: `test -e ${flag}`, digest: 'c'.repeat(64) },
        { name: 'after', body: 'true', digest: 'd'.repeat(64) },
      ],
      'test',
      state,
    );
    const failed = bash(script);
    expect(failed.status).not.toBe(0);
    expect((await readFile(join(state, 'progress'), 'utf8')).trim().split('\n').at(-1)).toBe('step 1 of 2 flaky failed');
    expect(failed.stderr).toMatch(/step flaky failed with exit status 1/);
    await writeFile(flag, '');
    expect(bash(script).status).toBe(0);
    expect((await readFile(join(state, 'progress'), 'utf8')).trim().split('\n').at(-1)).toBe('step 2 of 2 after ok');
  });
});

describe('downloads checked by SHA-256', () => {
  let dir: string;
  let prelude: string;
  let artifact: string;
  let digest: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-fetch-'));
    prelude = scriptPrelude(1, join(dir, 'state'));
    artifact = join(dir, `code-server_${CODE_SERVER_RELEASE.version}_amd64.deb`);
    const bytes = randomBytes(4096);
    await writeFile(artifact, bytes);
    digest = createHash('sha256').update(bytes).digest('hex');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps a download whose digest matches', () => {
    const dest = join(dir, 'good');
    const run = bash(`${prelude}\nfetch_verified 'file://${artifact}' ${digest} '${dest}'`);
    expect(run.status).toBe(0);
    expect(existsSync(dest)).toBe(true);
  });

  it('refuses, and leaves nothing behind, when the digest differs', () => {
    const dest = join(dir, 'bad');
    const run = bash(`${prelude}\nfetch_verified 'file://${artifact}' ${'0'.repeat(64)} '${dest}'`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`refusing file://${artifact}: its SHA-256 is ${digest}, expected ${'0'.repeat(64)}`);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('installs code-server only from the pinned release with its pinned digest, and refuses a file that does not match', async () => {
    const step = buildLaunchScript({ passwordHash: await hashPassword('x'), accessMode: 'tunnel', idleTimeoutMinutes: 0 }).steps.find((s) => s.name === 'base: install code-server')!;
    expect(step.body).toContain(`fetch_verified '${codeServerDebUrl()}' '${CODE_SERVER_RELEASE.sha256}' "$deb"`);
    expect(codeServerDebUrl()).toBe(`https://github.com/coder/code-server/releases/download/v${CODE_SERVER_RELEASE.version}/code-server_${CODE_SERVER_RELEASE.version}_amd64.deb`);
    // The real step, with the release URL pointed at a local file of other content. apt_install is
    // redefined to record instead of install, so no file, accepted or not, reaches dpkg on this machine.
    const installed = join(dir, 'apt-install-called');
    const body = step.body.replace(codeServerDebUrl(), `file://${artifact}`);
    const run = bash(`${prelude}\napt_install() { echo "$*" >'${installed}'; }\n${body}`);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`expected ${CODE_SERVER_RELEASE.sha256}`);
    expect(existsSync(installed)).toBe(false);
    // With the matching digest the same step goes on to install the file it checked.
    const accepted = bash(`${prelude}\napt_install() { echo "$*" >'${installed}'; }\n${body.replace(CODE_SERVER_RELEASE.sha256, digest)}`);
    expect(accepted.status).toBe(0);
    expect(await readFile(installed, 'utf8')).toMatch(/\.deb\n$/);
  });

  it('refuses a signing key whose fingerprint is not the pinned one', async () => {
    const gnupg = join(dir, 'gnupg');
    const made = bash(
      `set -e; install -d -m 0700 '${gnupg}'; gpg --batch --quiet --passphrase '' --quick-gen-key 'Porthole Test <test@example.invalid>' ed25519 sign 1d; gpg --batch --armor --export > '${dir}/key.asc'; gpg --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }'`,
      { GNUPGHOME: gnupg },
    );
    expect(made.status, made.stderr).toBe(0);
    const fingerprint = made.stdout.trim();
    expect(bash(`${prelude}\nrequire_fingerprint '${dir}/key.asc' ${fingerprint}`, { GNUPGHOME: gnupg }).status).toBe(0);
    const wrong = bash(`${prelude}\nrequire_fingerprint '${dir}/key.asc' ${'F'.repeat(40)}`, { GNUPGHOME: gnupg });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`fingerprint ${fingerprint}, expected ${'F'.repeat(40)}`);
  });
});
