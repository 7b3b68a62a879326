import {
  CreateInstancesCommand,
  CreateInstancesFromSnapshotCommand,
  DeleteAutoSnapshotCommand,
  DeleteInstanceCommand,
  DisableAddOnCommand,
  EnableAddOnCommand,
  GetAutoSnapshotsCommand,
  GetInstanceCommand,
  LightsailClient,
} from '@aws-sdk/client-lightsail';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkFailure } from '../support/sdk-failure.js';
import { type RunningEmulator, SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setUp(): Promise<{ emu: RunningEmulator; lightsail: LightsailClient }> {
  emu = await startEmulator({ seed: 11 });
  const lightsail = new LightsailClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
  await lightsail.send(
    new CreateInstancesCommand({ instanceNames: ['box'], availabilityZone: 'us-east-1a', blueprintId: 'ubuntu_24_04', bundleId: 'nano_3_0' }),
  );
  emu.advance(5 * MINUTE);
  return { emu, lightsail };
}


const enable = (lightsail: LightsailClient, snapshotTimeOfDay?: string) =>
  lightsail.send(
    new EnableAddOnCommand({
      resourceName: 'box',
      addOnRequest: { addOnType: 'AutoSnapshot', ...(snapshotTimeOfDay ? { autoSnapshotAddOnRequest: { snapshotTimeOfDay } } : {}) },
    }),
  );

const dates = async (lightsail: LightsailClient) =>
  ((await lightsail.send(new GetAutoSnapshotsCommand({ resourceName: 'box' }))).autoSnapshots ?? []).map((s) => s.date);

describe('lightsail-local automatic snapshots', () => {
  it('takes one snapshot a day at the chosen hour, keeps the seven newest and bills their storage', async () => {
    const { emu, lightsail } = await setUp();
    await enable(lightsail, '03:00');
    const instance = (await lightsail.send(new GetInstanceCommand({ instanceName: 'box' }))).instance!;
    expect(instance.addOns).toEqual([{ name: 'AutoSnapshot', status: 'Enabled', snapshotTimeOfDay: '03:00', nextSnapshotTimeOfDay: '03:00' }]);
    expect(await dates(lightsail)).toEqual([]);

    emu.advance(10 * DAY);
    const all = (await lightsail.send(new GetAutoSnapshotsCommand({ resourceName: 'box' }))).autoSnapshots!;
    expect(all).toHaveLength(7);
    // Newest first, one a day, each taken at 03:00 UTC.
    const days = all.map((s) => s.date!);
    expect([...days].sort().reverse()).toEqual(days);
    expect(new Set(days).size).toBe(7);
    for (const snapshot of all) expect(snapshot.createdAt!.toISOString()).toBe(`${snapshot.date}T03:00:00.000Z`);
    expect(all.every((s) => s.status === 'Success')).toBe(true);

    const report = emu.billing();
    const storage = report.resources.filter((r) => r.resourceType === 'InstanceSnapshot');
    // Ten were taken; the three dropped stopped accruing, the seven kept still accrue.
    expect(storage).toHaveLength(10);
    expect(storage.filter((r) => r.accruing)).toHaveLength(7);
    expect(storage.every((r) => r.usd > 0)).toBe(true);
  });

  it('restores a chosen day or the latest one, and refuses what cannot be restored', async () => {
    const { emu, lightsail } = await setUp();
    await enable(lightsail, '03:00');
    emu.advance(3 * DAY);
    const [latest, , oldest] = await dates(lightsail);
    const restore = (name: string, extra: Record<string, unknown>) =>
      lightsail.send(
        new CreateInstancesFromSnapshotCommand({ instanceNames: [name], availabilityZone: 'us-east-1a', bundleId: 'nano_3_0', sourceInstanceName: 'box', ...extra }),
      );
    await restore('from-day', { restoreDate: oldest });
    await restore('from-latest', { useLatestRestorableAutoSnapshot: true });
    emu.advance(5 * MINUTE);
    expect((await lightsail.send(new GetInstanceCommand({ instanceName: 'from-day' }))).instance!.state!.name).toBe('running');
    expect(latest).toBeDefined();

    expect((await sdkFailure(restore('nope', { restoreDate: '1999-01-01' }))).name).toBe('NotFoundException');
    expect((await sdkFailure(restore('nope', { restoreDate: 'yesterday' }))).name).toBe('InvalidInputException');
    expect((await sdkFailure(restore('nope', {}))).name).toBe('InvalidInputException');
    const both = await sdkFailure(restore('nope', { useLatestRestorableAutoSnapshot: true, instanceSnapshotName: 'x' }));
    expect(both.message).toContain('mutually exclusive');
  });

  it('keeps snapshots when the add-on is disabled, deletes one by date, and drops them all with the instance', async () => {
    const { emu, lightsail } = await setUp();
    await enable(lightsail);
    emu.advance(3 * DAY);
    await lightsail.send(new DisableAddOnCommand({ resourceName: 'box', addOnType: 'AutoSnapshot' }));
    const kept = await dates(lightsail);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    emu.advance(3 * DAY);
    expect(await dates(lightsail)).toEqual(kept);
    expect((await lightsail.send(new GetInstanceCommand({ instanceName: 'box' }))).instance!.addOns).toEqual([]);

    await lightsail.send(new DeleteAutoSnapshotCommand({ resourceName: 'box', date: kept[0] }));
    expect(await dates(lightsail)).toEqual(kept.slice(1));
    expect((await sdkFailure(lightsail.send(new DeleteAutoSnapshotCommand({ resourceName: 'box', date: kept[0] })))).name).toBe('NotFoundException');

    await lightsail.send(new DeleteInstanceCommand({ instanceName: 'box' }));
    expect(emu.billing().resources.filter((r) => r.resourceType === 'InstanceSnapshot' && r.accruing)).toEqual([]);
  });

  it('refuses a time that is not a whole UTC hour and an add-on it does not offer', async () => {
    const { lightsail } = await setUp();
    expect((await sdkFailure(enable(lightsail, '3:30'))).message).toContain('HH:00');
    const research = await sdkFailure(
      lightsail.send(new EnableAddOnCommand({ resourceName: 'box', addOnRequest: { addOnType: 'StopInstanceOnIdle' } })),
    );
    expect(research.name).toBe('InvalidInputException');
  });
});
