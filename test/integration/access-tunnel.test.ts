import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToCodeServer, SESSION_COOKIE } from '../../src/core/access/code-server-login.js';
import { healthy } from '../../src/core/access/tunnel-manager.js';
import { openSshTunnel, type SshTunnelDependencies } from '../../src/core/access/ssh-tunnel.js';
import type { AccessDetails } from '../../src/core/cloud/model.js';
import { until } from '../support/code-server-bin.js';
import { type AccessFixture, readyWorkspace, startAccessFixture } from '../support/access-fixture.js';

const NAME = 'tunnelled';

function tunnelArgs(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => /^ssh -N -T /.test(line));
}

async function get(url: string, cookie?: string): Promise<{ status: number; location: string | null; body: string }> {
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {} });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
}

describe('SSH tunnel access to a sandbox workspace (real sshd and code-server on loopback)', () => {
  let a: AccessFixture;
  let work: string;

  beforeAll(async () => {
    a = await startAccessFixture();
    work = await mkdtemp(join(tmpdir(), 'porthole-access-test-'));
    await readyWorkspace(a, NAME);
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Lightsail's answer with something changed, as a tampered or stale one would be. */
  const altered = (change: (details: AccessDetails) => Promise<AccessDetails>): SshTunnelDependencies => ({
    ...a.tunnel,
    gateway: { getAccessDetails: async (region, name) => change(await a.f.gateway.getAccessDetails(region, name)) },
  });

  it('opens a tunnel whose /healthz answers, logged in with a session cookie code-server accepts', async () => {
    const session = await a.access.open({ name: NAME });
    try {
      expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await healthy(Number(new URL(session.url).port), 3_000)).toBe(true);
      const cookie = session.cookies.find((c) => c.name === SESSION_COOKIE)!;
      expect(cookie.value).toMatch(/^\S+$/);
      // Without the cookie code-server sends the browser to its login page; with it, the workbench page.
      const anonymous = await get(session.url);
      expect(anonymous).toMatchObject({ status: 302, location: expect.stringMatching(/login/) });
      const opened = await get(session.url, cookie.value);
      expect(opened).toMatchObject({ status: 302, location: expect.stringMatching(/^\.\/\?folder=/) });
      const page = await get(new URL(opened.location!, session.url).href, cookie.value);
      expect(page.status).toBe(200);
      expect(page.body).toContain('workbench');
      expect(a.events.filter((e) => e.workspace === NAME).map((e) => e.state)).toEqual(['connecting', 'up']);
    } finally {
      await session.release();
    }
    expect(a.events.at(-1)).toMatchObject({ workspace: NAME, state: 'closed' });
    expect(tunnelArgs().filter((args) => args.includes(`${new URL(session.url).port}:`))).toEqual([]);
  });

  it('refuses a wrong password with a message that says how to reset it', async () => {
    const lease = await a.tunnels.acquire({ workspace: NAME, region: 'us-east-1' });
    try {
      const error = await loginToCodeServer(`http://127.0.0.1:${lease.localPort}/`, 'not-the-password', NAME).catch((e: unknown) => e);
      expect(String(error)).toContain(`code-server of ${NAME} refused the password kept in the keychain`);
      expect(String(error)).toContain(`porthole password ${NAME} --reset`);
    } finally {
      await lease.release();
    }
  });

  it('shares one tunnel between users and keeps it until the last one leaves', async () => {
    const first = await a.access.open({ name: NAME });
    const second = await a.access.open({ name: NAME });
    expect(second.origin).toBe(first.origin);
    expect(tunnelArgs().filter((args) => args.includes(`127.0.0.1:${new URL(first.origin).port}:`))).toHaveLength(1);
    await first.release();
    expect(await healthy(Number(new URL(second.origin).port), 3_000)).toBe(true);
    await second.release();
    expect(await healthy(Number(new URL(second.origin).port), 1_000)).toBe(false);
  });

  it('refuses a host key other than the ones Lightsail reports, and says so', async () => {
    const rogue = join(work, 'rogue-host');
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', rogue]).status).toBe(0);
    const [algorithm, publicKey] = (await readFile(`${rogue}.pub`, 'utf8')).trim().split(' ');
    const deps = altered(async (details) => ({ ...details, hostKeys: [{ algorithm: algorithm!, publicKey: publicKey!, fingerprintSha256: undefined }] }));
    const error = await openSshTunnel(deps, { workspace: NAME, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(String(error)).toContain(`The host key of ${NAME} does not match what Lightsail reports; refusing to connect`);
    expect(tunnelArgs()).toEqual([]);
  });

  it('refuses an expired certificate with its own message, and sshd refuses it too', async () => {
    const ca = join(work, 'ca');
    await writeFile(ca, await a.caPrivateKey(), { mode: 0o600 });
    const deps = altered(async (details) => {
      const key = join(work, 'granted');
      await writeFile(key, details.privateKey, { mode: 0o600 });
      await writeFile(`${key}.pub`, execFileSync('ssh-keygen', ['-y', '-f', key], { encoding: 'utf8' }));
      const signed = spawnSync('ssh-keygen', ['-q', '-s', ca, '-I', 'stale', '-n', details.username, '-V', '20200101:20200102', `${key}.pub`], { encoding: 'utf8' });
      expect(signed.status, signed.stderr).toBe(0);
      return { ...details, certificate: (await readFile(`${key}-cert.pub`, 'utf8')).trim() };
    });
    const error = await openSshTunnel(deps, { workspace: NAME, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(String(error)).toMatch(new RegExp(`The SSH certificate for ${NAME} expired at 2020-01-02T\\d\\d:00:00.000Z`));
    // Past the check here (a clock that runs behind), the server itself turns it away.
    const skewed = await openSshTunnel({ ...deps, now: () => new Date('2020-01-01T12:00:00Z') }, { workspace: NAME, region: 'us-east-1' }).catch((e: unknown) => e);
    expect(String(skewed)).toContain(`The SSH server of ${NAME} refused the Lightsail certificate`);
  });

  it('rebuilds the tunnel on the same port, with a fresh certificate, when ssh is killed', async () => {
    const session = await a.access.open({ name: NAME });
    try {
      const port = new URL(session.url).port;
      const before = a.events.length;
      const pid = Number(execFileSync('pgrep', ['-f', `^ssh -N -T .*127\\.0\\.0\\.1:${port}:`], { encoding: 'utf8' }).trim());
      process.kill(pid, 'SIGKILL');
      await until('the tunnel back up', async () => (a.events.slice(before).some((e) => e.state === 'up') ? true : undefined), 20_000);
      expect(a.events.slice(before).map((e) => e.state)).toContain('reconnecting');
      expect(await healthy(Number(port), 3_000)).toBe(true);
      expect((await get(session.url, session.cookies[0]!.value)).location).toMatch(/^\.\/\?folder=/);
      const again = Number(execFileSync('pgrep', ['-f', `^ssh -N -T .*127\\.0\\.0\\.1:${port}:`], { encoding: 'utf8' }).trim());
      expect(again).not.toBe(pid);
    } finally {
      await session.release();
    }
  });

  it('notices a tunnel that stops carrying traffic through /healthz, and rebuilds it', async () => {
    const session = await a.access.open({ name: NAME });
    try {
      const port = new URL(session.url).port;
      const before = a.events.length;
      const pid = Number(execFileSync('pgrep', ['-f', `^ssh -N -T .*127\\.0\\.0\\.1:${port}:`], { encoding: 'utf8' }).trim());
      // A frozen ssh keeps its port open but answers nothing, as a dead network path would.
      process.kill(pid, 'SIGSTOP');
      await until('the tunnel rebuilt', async () => (a.events.slice(before).some((e) => e.state === 'up') ? true : undefined), 30_000);
      expect(await healthy(Number(port), 3_000)).toBe(true);
      expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await session.release();
    }
  }, 45_000);

  it('puts no secret on any command line and leaves no key file behind', async () => {
    const session = await a.access.open({ name: NAME });
    try {
      const password = await a.f.engine.password(NAME);
      const details = await a.f.gateway.getAccessDetails('us-east-1', NAME);
      const everything = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      expect(everything).not.toContain(password);
      expect(everything).not.toContain(session.cookies[0]!.value);
      const keyBody = details.privateKey.split('\n').filter((line) => line.length > 40);
      for (const line of keyBody) expect(everything).not.toContain(line);
      expect(everything).not.toContain(details.certificate.split(' ')[1]!.slice(0, 60));
      const args = tunnelArgs().find((line) => line.includes(`127.0.0.1:${new URL(session.url).port}:`))!;
      const keyPath = /-i (\S+)/.exec(args)![1]!;
      expect(existsSync(keyPath)).toBe(false);
      const settings = await readFile(a.f.settings.path, 'utf8');
      expect(settings).not.toContain(password);
      // Tunnel events reach the activity log and the window: none carries a secret.
      const events = JSON.stringify(a.events);
      for (const secret of [password, session.cookies[0]!.value, ...keyBody, details.certificate.split(' ')[1]!.slice(0, 60)]) expect(events).not.toContain(secret);
    } finally {
      await session.release();
    }
  });

  it('gives two workspaces created at the same time each its own sshd, code-server and tunnel', async () => {
    await Promise.all([readyWorkspace(a, 'twin-a'), readyWorkspace(a, 'twin-b')]);
    const [first, second] = await Promise.all([a.access.open({ name: 'twin-a' }), a.access.open({ name: 'twin-b' })]);
    try {
      expect(first.url).not.toBe(second.url);
      const cookieOf = (s: typeof first) => s.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
      // Each code-server has its own password: a session cookie from one is no good on the other.
      expect(await get(first.url, cookieOf(first))).toMatchObject({ status: 302, location: expect.stringMatching(/^\.\/\?folder=/) });
      expect(await get(second.url, cookieOf(second))).toMatchObject({ status: 302, location: expect.stringMatching(/^\.\/\?folder=/) });
      expect(await get(second.url, cookieOf(first))).toMatchObject({ status: 302, location: expect.stringMatching(/login/) });
    } finally {
      await Promise.all([first.release(), second.release()]);
    }
  }, 120_000);
});
