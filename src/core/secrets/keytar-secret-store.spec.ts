import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from './keytar-secret-store.js';
import { generatePassword } from './password.js';

const run = promisify(execFile);

// These tests talk to the real keychain; without a session bus they could only
// pass by testing nothing, so they refuse to run instead.
if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  throw new Error(
    'The keychain tests need a running Secret Service and none is reachable (DBUS_SESSION_BUS_ADDRESS is not set). ' +
      'Run them with `npm test`, which starts one, or: mkdir -p /tmp/kh && HOME=/tmp/kh dbus-run-session -- sh -c ' +
      "'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run src/core/secrets'",
  );
}

/** A service of its own per run, so the tests never see or touch real Porthole entries. */
const store = new KeytarSecretStore(`porthole-test-${randomUUID()}`);

afterAll(async () => {
  for (const account of await store.list()) await store.delete(account);
});

describe('KeytarSecretStore', () => {
  it('saves, reads, replaces and deletes a secret', async () => {
    const account = 'sandbox/us-east-1/demo';
    const first = generatePassword();
    const second = generatePassword();
    await store.set(account, first);
    expect(await store.get(account)).toBe(first);
    await store.set(account, second);
    expect(await store.get(account)).toBe(second);
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeUndefined();
    expect(await store.delete(account)).toBe(false);
  });

  it('lists the accounts that have a secret, and only those of its service', async () => {
    const other = new KeytarSecretStore(`porthole-test-${randomUUID()}`);
    await store.set('sandbox/us-east-1/one', generatePassword());
    await store.set('sandbox/eu-west-2/two', generatePassword());
    await other.set('sandbox/us-east-1/elsewhere', generatePassword());
    try {
      expect((await store.list()).sort()).toEqual(['sandbox/eu-west-2/two', 'sandbox/us-east-1/one']);
      expect(await store.get('sandbox/us-east-1/elsewhere')).toBeUndefined();
    } finally {
      await other.delete('sandbox/us-east-1/elsewhere');
      await store.delete('sandbox/us-east-1/one');
      await store.delete('sandbox/eu-west-2/two');
    }
  });

  it('keeps unicode and long secrets exactly', async () => {
    const unicode = 'pässwörd 🔑 密码 пароль \u200d\t\n end';
    const long = generatePassword().repeat(2_000);
    await store.set('work/us-east-1/unicode', unicode);
    await store.set('work/us-east-1/long', long);
    expect(await store.get('work/us-east-1/unicode')).toBe(unicode);
    expect(await store.get('work/us-east-1/long')).toBe(long);
    await store.delete('work/us-east-1/unicode');
    await store.delete('work/us-east-1/long');
  });

  it('refuses a secret the keychain would cut short at a NUL', async () => {
    await expect(store.set('work/us-east-1/nul', 'before\0after')).rejects.toThrow('has a NUL character');
    expect(await store.get('work/us-east-1/nul')).toBeUndefined();
  });

  it('keeps two accounts apart', async () => {
    const sandbox = generatePassword();
    const work = generatePassword();
    await store.set('sandbox/us-east-1/demo', sandbox);
    await store.set('work/us-east-1/demo', work);
    expect(await store.get('sandbox/us-east-1/demo')).toBe(sandbox);
    expect(await store.get('work/us-east-1/demo')).toBe(work);
    await store.delete('sandbox/us-east-1/demo');
    expect(await store.get('work/us-east-1/demo')).toBe(work);
    await store.delete('work/us-east-1/demo');
  });
});

describe('KeytarSecretStore without a usable keychain', () => {
  const attempt = `
    import { KeytarSecretStore } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'keytar-secret-store.ts')).href)};
    try {
      await new KeytarSecretStore('porthole-test').set('sandbox/us-east-1/demo', 'SeCrEtVaLuE2345678abcdef');
      console.log(JSON.stringify({ ok: true }));
    } catch (error) {
      console.log(JSON.stringify({ kind: error.kind, message: error.message, cause: String(error.cause) }));
    }
  `;

  it('says that no keychain is running and how to start one, without the secret', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', attempt], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/porthole-test-bus' },
    });
    const outcome = JSON.parse(stdout) as { kind: string; message: string; cause: string };
    expect(outcome.kind).toBe('keychain');
    expect(outcome.message).toContain('No keychain is running in this session, so Porthole cannot save the password of sandbox/us-east-1/demo');
    expect(outcome.message).toContain('gnome-keyring-daemon --unlock');
    expect(JSON.stringify(outcome)).not.toContain('SeCrEtVaLuE2345678abcdef');
  });

  it('says that the keychain is locked and to unlock it, without the secret', async () => {
    const home = await mkdtemp(join(tmpdir(), 'porthole-locked-keyring-'));
    try {
      // A keyring daemon started without --unlock has no open login keyring, like a locked desktop keyring.
      // --daemonize, not --start: --start only asks a running daemon and leaves none when there is none.
      const script = `gnome-keyring-daemon --daemonize --components=secrets >/dev/null 2>&1; exec "$0" --import tsx --input-type=module -e "$1"`;
      const { stdout } = await run('dbus-run-session', ['--', 'sh', '-c', script, process.execPath, attempt], {
        env: { ...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: '' },
        timeout: 60_000,
      });
      const outcome = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { kind: string; message: string };
      expect(outcome.kind).toBe('keychain');
      expect(outcome.message).toContain('The keychain is locked or has no login keyring');
      expect(outcome.message).toContain('Unlock your login keyring');
      expect(JSON.stringify(outcome)).not.toContain('SeCrEtVaLuE2345678abcdef');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('KeytarSecretStore on a keyring whose login collection is not ready yet', () => {
  // GNOME Keyring can answer a session's first call before its login collection exists; the error is
  // reproduced here in front of the real keytar (the race itself cannot be timed from a test).
  const NOT_READY = "No such object path '/org/freedesktop/secrets/collection/login'";
  const keytarFailingFirst = (failures: number) => async () => {
    const real = ((await import('keytar')) as { default?: typeof import('keytar') }).default ?? (await import('keytar'));
    let left = failures;
    const once =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> => {
        if (left > 0) {
          left--;
          return Promise.reject(new Error(NOT_READY));
        }
        return call(...args);
      };
    return { ...real, setPassword: once(real.setPassword), getPassword: once(real.getPassword) };
  };
  const service = `porthole-test-${randomUUID()}`;
  afterAll(async () => {
    const cleanup = new KeytarSecretStore(service);
    for (const account of await cleanup.list()) await cleanup.delete(account);
  });

  it('asks once more, and the second call saves the password for real', async () => {
    const store = new KeytarSecretStore(service, keytarFailingFirst(1));
    await store.set('sandbox/us-east-1/first-run', 'SeCrEtVaLuE2345678abcdef');
    expect(await new KeytarSecretStore(service).get('sandbox/us-east-1/first-run')).toBe('SeCrEtVaLuE2345678abcdef');
  });

  it('gives up after the second try with the locked-keyring advice, without the secret', async () => {
    const store = new KeytarSecretStore(service, keytarFailingFirst(2));
    const failure = await store.set('sandbox/us-east-1/never', 'SeCrEtVaLuE2345678abcdef').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toContain('The keychain is locked or has no login keyring, so Porthole cannot save the password of sandbox/us-east-1/never');
    expect(failure?.message).not.toContain('SeCrEtVaLuE2345678abcdef');
    expect(await new KeytarSecretStore(service).get('sandbox/us-east-1/never')).toBeUndefined();
  });
});
