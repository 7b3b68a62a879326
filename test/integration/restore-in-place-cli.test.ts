import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToCodeServer } from '../../src/core/access/code-server-login.js';
import type { Workspace, WorkspaceBackups } from '../../src/shared/workspace.js';
import { type CliWorkspace, porthole, startCliWorkspace, startPortholeOpen } from '../support/porthole-cli.js';
import { until } from '../support/code-server-bin.js';

const NAME = 'keep';
const DAY_SECONDS = 24 * 60 * 60;

interface Endpoints {
  codeServer: { host: string; port: number };
}

/**
 * `porthole restore NAME --date D` without --as, as a user runs it on the
 * Sandbox with real sshd and code-server: the workspace goes back to the
 * backup on a fresh instance and keeps its name, static IP and password.
 */
describe('porthole restore in place on the Sandbox account', () => {
  let workspace: CliWorkspace;
  let env: NodeJS.ProcessEnv;

  const json = async <T>(args: string[]): Promise<T> => {
    const run = await porthole(['--json', ...args], env);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const shown = async () => (await json<Workspace[]>(['ls'])).find((w) => w.name === NAME)!;
  const emulator = (path: string) => fetch(`${workspace.emulator.endpoint}/_emulator/${path}`);
  const calls = async (operation: string) => ((await (await emulator('calls')).json()) as { byOperation: Record<string, number> }).byOperation[operation] ?? 0;
  const instances = async () => ((await (await emulator('state')).json()) as { regions: Record<string, { instances: number }> }).regions['us-east-1']?.instances;
  const codeServerOf = (instance: string) =>
    until(`code-server of ${instance}`, async () => {
      const answer = await emulator(`instances/us-east-1/${instance}/endpoints`);
      return answer.ok ? ((await answer.json()) as Endpoints).codeServer : undefined;
    }, 90_000);
  // What porthole doctor lists as left over, whatever its age; its other checks (this computer's) are not this suite's business.
  const leaks = async () => (JSON.parse((await porthole(['--json', 'doctor', '--older-than', '0'], env)).stdout) as { leaks: unknown[] }).leaks;

  beforeAll(async () => {
    workspace = await startCliWorkspace(NAME, 'porthole-restore-in-place-');
    env = workspace.env;
    await json(['backups', NAME, '--enable', '--at', '03:00']);
    await fetch(`${workspace.emulator.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 3 * DAY_SECONDS }) });
    await until('two backups', async () => ((await json<WorkspaceBackups>(['backups', NAME])).backups.filter((b) => b.status === 'ready').length >= 2 ? true : undefined));
  }, 180_000);
  afterAll(() => workspace?.close(), 120_000);

  it('refuses a bad date, a day with no backup, --bundle, and a restore nobody confirmed, making nothing', async () => {
    const before = await instances();
    const badDate = await porthole(['restore', NAME, '--date', '2026-02-30', '--yes'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('YYYY-MM-DD');
    const noSuchDay = await porthole(['restore', NAME, '--date', '1999-01-01', '--yes'], env);
    expect(noSuchDay.code).not.toBe(0);
    expect(noSuchDay.stderr).toContain(`has no backup from 1999-01-01`);
    expect(noSuchDay.stderr).toMatch(/Restore one of: \d{4}-\d{2}-\d{2}/);
    const bundle = await porthole(['restore', NAME, '--date', '1999-01-01', '--bundle', 'large_3_0'], env);
    expect(bundle.code).toBe(2);
    expect(bundle.stderr).toContain('--bundle goes with --as');
    const [newest] = (await json<WorkspaceBackups>(['backups', NAME])).backups;
    const unconfirmed = await porthole(['restore', NAME, '--date', newest!.date], env);
    expect(unconfirmed.code).toBe(2);
    // The question says what goes: the old instance, what was written since, and its backups.
    expect(unconfirmed.stderr).toContain(`Restore "${NAME}" to its ${newest!.date} backup in place?`);
    expect(unconfirmed.stderr).toContain("Lightsail deletes an instance's automatic snapshots with it");
    expect(unconfirmed.stderr).toContain('Add --yes');
    expect(await instances()).toBe(before);
    expect(await calls('CreateInstancesFromSnapshot')).toBe(0);
    expect((await shown()).instanceName).toBeUndefined();
  }, 120_000);

  it('puts the workspace back to the backup on a new instance, with the same name, static IP and password, and nothing left over', async () => {
    const before = await shown();
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    const backups = await json<WorkspaceBackups>(['backups', NAME]);
    const older = backups.backups[1]!;
    expect(backups.inPlaceWarning).toContain(`takes over the static IP ${before.publicIp}`);

    const restored = await json<Workspace>(['restore', NAME, '--date', older.date, '--yes']);
    expect(restored).toMatchObject({ name: NAME, publicIp: before.publicIp, staticIpName: before.staticIpName, hasPassword: true, backups: { timeOfDay: '03:00' } });
    expect(restored.instanceName).toMatch(new RegExp(`^${NAME}-r${older.date.replaceAll('-', '')}-[0-9a-f]{4}$`));
    expect(['ready', 'provisioning']).toContain(restored.state);
    // Made from the day's backup, and only one instance is left: the old one went once the new one was set up.
    expect(await calls('CreateInstancesFromSnapshot')).toBe(1);
    expect(await instances()).toBe(1);
    expect((await porthole(['password', NAME], env)).stdout.trim()).toBe(password);

    // The keychain's password logs in to the new instance's code-server; another does not.
    const codeServer = await codeServerOf(restored.instanceName!);
    const origin = `http://${codeServer.host}:${codeServer.port}/`;
    await expect(loginToCodeServer(origin, password, NAME)).resolves.toMatch(/\S+/);
    await expect(loginToCodeServer(origin, `${password}x`, NAME)).rejects.toThrow(/refused the password/);

    // Everything that reaches the workspace now reaches its new instance.
    const ssh = await porthole(['ssh', NAME, '--', 'echo', 'inside'], env);
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toBe('inside');
    const after = await json<WorkspaceBackups>(['backups', NAME]);
    expect(after).toMatchObject({ enabled: true, timeOfDay: '03:00', backups: [] });
    expect(await leaks()).toEqual([]);

    const text = await porthole(['ls'], env);
    expect(text.stdout).toContain(NAME);
    expect(text.stdout).not.toContain(restored.instanceName!);
  }, 300_000);

  it('keeps a browser open through porthole open working across a restore run from another terminal', async () => {
    await fetch(`${workspace.emulator.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 2 * DAY_SECONDS }) });
    const [backup] = await until('a backup of the new instance', async () => {
      const ready = (await json<WorkspaceBackups>(['backups', NAME])).backups.filter((b) => b.status === 'ready');
      return ready.length > 0 ? ready : undefined;
    });
    const open = await startPortholeOpen(NAME, env);
    try {
      // The browser follows the one-time link and keeps the cookie it sets.
      const origin = new URL(open.url).origin;
      const link = await fetch(open.url, { redirect: 'manual' });
      const cookie = /code-server-session=[^;]+/.exec(link.headers.get('set-cookie') ?? '')![0];
      const workbench = async () => {
        const answer = await fetch(`${origin}/`, { redirect: 'manual', headers: { cookie } }).catch(() => undefined);
        const location = answer?.headers.get('location');
        if (!location?.startsWith('./?folder=')) return undefined;
        const page = await fetch(new URL(location, `${origin}/`), { headers: { cookie } });
        return page.status === 200 && (await page.text()).includes('workbench') ? true : undefined;
      };
      expect(await workbench()).toBe(true);
      const before = (await shown()).instanceName;

      const restored = await json<Workspace>(['restore', NAME, '--date', backup!.date, '--yes']);
      expect(restored.instanceName).not.toBe(before);
      // Its tunnel drops with the old instance, finds the new one from the record, and logs in there: the same page, the same cookie.
      await until('the workbench through the same address', workbench, 90_000, () => open.stderr());
      expect(open.stderr()).toContain(`tunnel to ${NAME}: reconnecting`);
      expect(open.stderr()).not.toContain('failed');
    } finally {
      await open.interrupt();
    }
    expect(await leaks()).toEqual([]);
  }, 300_000);
});
