import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/core/access/code-server-login.js';
import { type LoginFront, startLoginFront } from '../../src/core/access/login-front.js';
import { healthy } from '../../src/core/access/tunnel-manager.js';
import type { WorkspaceSession } from '../../src/core/access/workspace-access.js';
import { until } from '../support/code-server-bin.js';
import { type AccessFixture, readyWorkspace, startAccessFixture } from '../support/access-fixture.js';

const NAME = 'kept-open';
const DAY_SECONDS = 24 * 60 * 60;

/** The args of every `ssh -N -T` running: the tunnels of this machine. */
function tunnelProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => /^ssh -N -T /.test(line));
}

/**
 * A window or browser open on a workspace while it is restored in place:
 * the old instance is deleted under its tunnel, the tunnel follows the
 * workspace to the new instance on the same local port, and the session
 * logs in there again, so the page carries on. Real sshd and code-server
 * on loopback.
 */
describe('an open tunnel across a restore in place', () => {
  let a: AccessFixture;
  let session: WorkspaceSession | undefined;
  let front: LoginFront | undefined;

  beforeAll(async () => {
    a = await startAccessFixture();
    await readyWorkspace(a, NAME);
    await a.f.engine.setBackups(NAME, { enabled: true, timeOfDay: '03:00' });
    await fetch(`${a.f.emulator.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 2 * DAY_SECONDS }) });
    await until('a backup', async () => ((await a.f.engine.backups(NAME)).backups.some((b) => b.status === 'ready') ? true : undefined), 60_000);
  }, 240_000);

  afterAll(async () => {
    await front?.close();
    await session?.release();
    await a?.close();
  }, 120_000);

  it('reconnects to the new instance on the same local port, logs in there again, and a browser on its login front carries on', async () => {
    session = await a.access.open({ name: NAME });
    const port = Number(new URL(session.url).port);
    const renewals: string[] = [];
    session.onRenewed!((cookies) => renewals.push(cookies[0]!.value));
    const workbench = async (origin: string, cookie: string) => {
      const opened = await fetch(`${origin}/`, { redirect: 'manual', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
      const location = opened.headers.get('location');
      if (!location) return { status: opened.status, body: await opened.text() };
      const page = await fetch(new URL(location, `${origin}/`), { redirect: 'manual', headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
      return { status: page.status, body: await page.text() };
    };
    const first = session.cookies[0]!.value;
    expect((await workbench(session.origin, first)).body).toContain('workbench');
    // A browser as porthole open and the dashboard's Open in browser give it one: the one-time link sets the cookie it keeps.
    front = await startLoginFront(session);
    const link = await fetch(front.loginUrl, { redirect: 'manual' });
    const browserCookie = /code-server-session=([^;]+)/.exec(link.headers.get('set-cookie') ?? '')![1]!;
    expect((await workbench(front.origin, browserCookie)).body).toContain('workbench');
    const before = a.events.length;

    const [backup] = (await a.f.engine.backups(NAME)).backups.filter((b) => b.status === 'ready');
    const restored = await a.f.engine.restore(NAME, backup!.date, {});
    expect(restored.instanceName).toMatch(new RegExp(`^${NAME}-r\\d{8}-`));
    expect(restored.state).toBe('ready');

    // The old instance went with its sshd: the tunnel went down, and came back up by itself at the new one.
    const since = () => a.events.slice(before).filter((e) => e.workspace === NAME);
    await until('the tunnel back up at the new instance', async () => (since().some((e) => e.state === 'up' && e.instance === restored.instanceName) ? true : undefined), 60_000, () => since());
    expect(since().map((e) => e.state)).toContain('reconnecting');
    expect(since().some((e) => e.state === 'failed' || e.state === 'closed')).toBe(false);
    expect(a.tunnels.localPort({ workspace: NAME, region: 'us-east-1', instance: restored.instanceName })).toBe(port);
    expect(await healthy(port, 3_000)).toBe(true);

    // The new code-server knows the password, not the old cookie: the session logged in again, and said so.
    await until('a new login', async () => (renewals.length > 0 ? true : undefined), 30_000);
    expect(renewals).toEqual([session.cookies[0]!.value]);
    expect(renewals[0]).not.toBe(first);
    expect((await workbench(session.origin, first)).body).not.toContain('workbench');
    const page = await workbench(session.origin, renewals[0]!);
    expect(page.status).toBe(200);
    expect(page.body).toContain('workbench');
    // The browser keeps the cookie its link gave; the front sends the new one in its place.
    expect((await workbench(front.origin, browserCookie)).body).toContain('workbench');
    // Any other cookie still gets code-server's login page.
    expect((await workbench(front.origin, 'forged')).body).not.toContain('workbench');

    // One tunnel, to the new instance's sshd: the workspace's window and a newcomer share it.
    const newcomer = await a.access.open({ name: NAME });
    expect(newcomer.url).toBe(session.url);
    await newcomer.release();
    const ssh = (await (await fetch(`${a.f.emulator.endpoint}/_emulator/instances/us-east-1/${restored.instanceName}/endpoints`)).json()) as { ssh: { port: number } };
    expect(tunnelProcesses().filter((args) => args.includes(`-p ${ssh.ssh.port} `))).toHaveLength(1);

    await front.close();
    front = undefined;
    await session.release();
    session = undefined;
    await until('the tunnel closed', async () => (since().some((e) => e.state === 'closed') ? true : undefined), 10_000, () => since());
    expect(await healthy(port, 1_000)).toBe(false);
  }, 240_000);
});
