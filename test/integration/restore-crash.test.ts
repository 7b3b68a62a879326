import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretAccount } from '../../src/core/secrets/secret-account.js';
import { OperationJournal } from '../../src/core/workspaces/operation-journal.js';
import { leaksOf, runCrashingChild } from '../support/crash-suite.js';
import { startEngineFixture, TEST_ACCOUNT, TEST_REGION, type EngineFixture } from '../support/engine-fixture.js';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Kills the process at every step of a restore in place, on both sides of
 * its cloud call, then starts a new engine over the same files, keychain and
 * cloud: the restore carries on to the workspace on its new instance (same
 * static IP, same password), or, stopped on an error before the switch,
 * rolls back to the old one; either way nothing is left over.
 */
describe('a crash at any step of a restore in place', () => {
  let f: EngineFixture;
  beforeAll(async () => {
    f = await startEngineFixture();
  });
  afterAll(() => f.close());

  /** A workspace with daily backups and a finished backup to restore, and what must survive the restore. */
  const prepared = async (name: string) => {
    await f.engine.create({ name, backups: { timeOfDay: '03:00' } });
    f.emulator.advance(2 * DAY_MS);
    const date = (await f.engine.backups(name)).backups.find((b) => b.status === 'ready')!.date;
    const password = await f.secrets.get(secretAccount({ account: TEST_ACCOUNT, region: TEST_REGION, name }));
    const address = (await f.gateway.findStaticIp(TEST_REGION, `porthole-${name}`))!.ipAddress;
    return { date, password, address };
  };

  /** Every store agrees the workspace runs on `instance`, holding its static IP and password, and nothing else is left. */
  const expectOn = async (name: string, instance: string | RegExp, kept: { password: string | undefined; address: string }) => {
    const context = `workspace ${name}`;
    const journal = await OperationJournal.open(join(f.dataDir, 'journal.json'));
    expect(journal.unfinished().filter((e) => e.workspace.name === name), context).toEqual([]);
    expect(await leaksOf(f), context).toEqual([]);
    const record = f.settings.findWorkspace({ account: TEST_ACCOUNT, region: TEST_REGION, name });
    const current = record?.instanceName ?? name;
    expect(current, context).toMatch(instance);
    const tagged = (await f.gateway.listInstances(TEST_REGION)).filter((i) => i.tags['porthole:workspace'] === name && i.state !== 'terminated');
    expect(tagged.map((i) => [i.name, i.state]), context).toEqual([[current, 'running']]);
    const staticIp = await f.gateway.findStaticIp(TEST_REGION, `porthole-${name}`);
    expect([staticIp?.attachedTo, staticIp?.ipAddress], context).toEqual([current, kept.address]);
    expect(await f.secrets.get(secretAccount({ account: TEST_ACCOUNT, region: TEST_REGION, name })), context).toBe(kept.password);
  };

  it('carries on to the new instance with nothing leaked, for every step and both sides of its cloud call', { timeout: 600_000 }, async () => {
    const crashed: string[] = [];
    for (let step = 0; step < 20; step++) {
      let finishedWithoutCrash = false;
      for (const phase of ['before', 'after'] as const) {
        const name = `rip-${step}-${phase}`;
        const kept = await prepared(name);
        const restored = new RegExp(`^${name}-r${kept.date.replaceAll('-', '')}-[0-9a-f]{4}$`);
        const run = await runCrashingChild(f, 'restore', name, `restore:${step}:${phase}`, { CRASH_DATE: kept.date });
        if (run.code === 0) {
          finishedWithoutCrash = true;
          await expectOn(name, restored, kept);
          continue;
        }
        expect(run.signal, `${name}: ${run.stderr}`).toBe('SIGKILL');
        crashed.push(`${step}:${phase}`);
        // Before anything recovers it, porthole doctor names the interrupted restore, and only it.
        expect((await leaksOf(f)).map((l) => [l.kind, l.name, l.operation?.kind, l.sweep]), name).toEqual([['operation', name, 'restore', 'carry-on']]);
        const recovery = await (await f.restart()).recover();
        expect(recovery.failed, name).toEqual([]);
        expect(recovery.recovered, name).toContain(name);
        await expectOn(name, restored, kept);
      }
      if (finishedWithoutCrash) break;
    }
    // Every step was crashed on both sides before the restore ran through: create, wait, set up, firewall, backups, switch, IP, delete.
    expect(crashed.length).toBe(16);
  });

  it('rolls back to the old instance when it stopped on an error before the switch', { timeout: 120_000 }, async () => {
    const name = 'rip-failed';
    const kept = await prepared(name);
    const run = await runCrashingChild(f, 'restore', name, 'restore:3:before', { CRASH_DATE: kept.date });
    expect(run.signal, run.stderr).toBe('SIGKILL');
    const journal = await OperationJournal.open(join(f.dataDir, 'journal.json'));
    const entry = journal.unfinished().find((e) => e.workspace.name === name)!;
    await journal.fail(entry.id, 'Lightsail refused the firewall.');
    // The new instance runs beside the old one until the undo: doctor says the sweep rolls it back.
    const [leak] = await leaksOf(f);
    expect([leak?.kind, leak?.operation?.kind, leak?.sweep]).toEqual(['operation', 'restore', 'roll-back']);
    expect(leak?.reason).toMatch(new RegExp(`instance ${name}, instance ${name}-r\\d{8}`));
    const recovery = await (await f.restart()).recover();
    expect(recovery.failed).toEqual([]);
    await expectOn(name, new RegExp(`^${name}$`), kept);
  });
});
