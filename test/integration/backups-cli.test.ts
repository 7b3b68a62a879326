import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace, WorkspaceBackups } from '../../src/shared/workspace.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Daily backups as a user meets them through `porthole`, on the Sandbox:
 * turned on at create, taken as emulated days pass, listed with their cost,
 * restored into a new workspace, and what hibernating does to them.
 */
describe('porthole backups and restore on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };

  const json = async <T>(args: string[]): Promise<T> => {
    const run = await porthole(['--json', ...args], env);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const workspace = async (name: string) => (await json<Workspace[]>(['ls'])).find((w) => w.name === name);
  const passDays = (days: number) =>
    fetch(`${emulator.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: days * DAY_SECONDS }) });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-backups-'));
    env = { PORTHOLE_HOME: home };
    emulator = await startSandboxEmulator(env, 60);
  });
  afterAll(async () => {
    await porthole(['delete', 'demo', '--yes'], env);
    await porthole(['delete', 'demo-copy', '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }, 120_000);

  it('creates a workspace with daily backups at a UTC hour, which its cost counts', async () => {
    const run = await porthole(['create', 'demo', '--backups', '03:00'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/turn on daily backups/);
    const demo = (await workspace('demo'))!;
    expect(demo.backups).toEqual({ timeOfDay: '03:00' });
    // small_3_0 has a 60 GB disk: a week of full snapshots at $0.05 per GB-month is at most $21.
    expect(demo.cost.backupsMonthlyUsd).toBe(21);
    expect(demo.cost.activeMonthlyUsd).toBeCloseTo(demo.cost.backupsMonthlyUsd! + 12, 2);

    const backups = await json<WorkspaceBackups>(['backups', 'demo']);
    expect(backups).toMatchObject({ name: 'demo', enabled: true, timeOfDay: '03:00', kept: 7, backups: [], monthlyUsd: 0 });
  }, 180_000);

  it('lists the backups the days brought, newest first, with what they cost', async () => {
    await passDays(3);
    const backups = await json<WorkspaceBackups>(['backups', 'demo']);
    expect(backups.backups.length).toBeGreaterThanOrEqual(2);
    const dates = backups.backups.map((b) => b.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(backups.backups.every((b) => b.status === 'ready' && b.monthlyUsd === 3)).toBe(true);
    expect(backups.monthlyUsd).toBe(3 * backups.backups.length);

    const text = (await porthole(['backups', 'demo'], env)).stdout;
    expect(text).toContain('Daily backups of "demo" are on, taken at 03:00 UTC');
    expect(text).toMatch(new RegExp(`${dates[0]}\\s+ready`));
    expect(text).toContain('Hibernating or deleting "demo" deletes its backups');
  }, 60_000);

  it('refuses bad input clearly and makes nothing', async () => {
    const badHour = await porthole(['backups', 'demo', '--enable', '--at', '3:30'], env);
    expect(badHour.code).toBe(2);
    expect(badHour.stderr).toContain('HH:00');
    const badDate = await porthole(['restore', 'demo', '--date', '2026-13-01', '--as', 'nope'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('YYYY-MM-DD');
    const noSuchDay = await porthole(['restore', 'demo', '--date', '1999-01-01', '--as', 'nope'], env);
    expect(noSuchDay.code).not.toBe(0);
    expect(noSuchDay.stderr).toContain('has no backup from 1999-01-01');
    expect(noSuchDay.stderr).toMatch(/Restore one of: \d{4}-\d{2}-\d{2}/);
    const unknown = await porthole(['backups', 'ghost'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no workspace "ghost"');
    expect((await json<Workspace[]>(['ls'])).map((w) => w.name)).toEqual(['demo']);
  }, 120_000);

  it('restores a day into a new workspace with a password of its own, leaving the original as it was', async () => {
    const [, older] = (await json<WorkspaceBackups>(['backups', 'demo'])).backups;
    const copy = await json<Workspace>(['restore', 'demo', '--date', older!.date, '--as', 'demo-copy']);
    expect(copy).toMatchObject({ name: 'demo-copy', bundleId: 'small_3_0', hasPassword: true });
    expect(['ready', 'provisioning']).toContain(copy.state);
    expect((await workspace('demo'))!.state).toMatch(/ready|provisioning/);
    const [original, restored] = await Promise.all([porthole(['password', 'demo'], env), porthole(['password', 'demo-copy'], env)]);
    expect(restored.stdout.trim()).not.toBe(original.stdout.trim());
  }, 180_000);

  it('turns backups off keeping those taken; hibernating says they go, and resuming turns them on again', async () => {
    const before = await json<WorkspaceBackups>(['backups', 'demo']);
    const off = await json<WorkspaceBackups>(['backups', 'demo', '--disable']);
    expect(off.enabled).toBe(false);
    expect(off.backups).toEqual(before.backups);
    expect((await workspace('demo'))!.backups).toBeUndefined();

    await json(['backups', 'demo', '--enable', '--at', '05:00']);
    const hibernate = await porthole(['hibernate', 'demo'], env);
    expect(hibernate.code, hibernate.stderr).toBe(0);
    expect(hibernate.stderr).toContain('Its daily backups are deleted with its instance');
    const gone = await json<WorkspaceBackups>(['backups', 'demo']);
    expect(gone).toMatchObject({ enabled: true, timeOfDay: '05:00', backups: [] });
    expect(gone.note).toContain('hibernated');

    const resume = await porthole(['resume', 'demo'], env);
    expect(resume.code, resume.stderr).toBe(0);
    expect((await workspace('demo'))!.backups).toEqual({ timeOfDay: '05:00' });
  }, 300_000);
});
