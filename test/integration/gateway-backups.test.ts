import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { PortholeError } from '../../src/core/errors.js';
import { type GatewayTarget, emulatorTarget } from './gateway-target.js';

const DAY = 24 * 60 * 60_000;

/** The gateway's backup calls against lightsail-local: the automatic snapshot add-on end to end. */
describe('gateway: backups (automatic snapshots)', () => {
  let target: GatewayTarget;
  let gateway: LightsailGateway;
  const region = 'us-east-1';
  let box: string;

  beforeAll(async () => {
    target = await emulatorTarget();
    gateway = new SdkLightsailGateway(target.account, target.options);
    box = `${target.prefix}-box`;
    await gateway.waitForOperations(
      await gateway.createInstances({ region, instanceNames: [box], workspace: box, bundleId: target.bundleId, blueprintId: target.blueprintId }),
    );
    await gateway.waitForInstanceState(region, box, 'running');
  });

  afterAll(async () => {
    gateway?.close();
    await target?.close();
  });

  it('turns daily snapshots on at an hour, shows the add-on on the instance, lists them newest first and turns them off', async () => {
    await gateway.enableAutoSnapshots(region, box, '04:00');
    expect((await gateway.getInstance(region, box)).autoSnapshotTimeOfDay).toBe('04:00');
    // Enabling again is the same add-on, not an error.
    await gateway.enableAutoSnapshots(region, box, '04:00');

    target.emulator!.advance(3 * DAY);
    const backups = await gateway.listAutoSnapshots(region, box);
    expect(backups.length).toBeGreaterThanOrEqual(2);
    expect(backups.map((b) => b.date)).toEqual(backups.map((b) => b.date).sort().reverse());
    expect(backups[0]!.createdAt).toBeInstanceOf(Date);

    await gateway.disableAutoSnapshots(region, box);
    expect((await gateway.getInstance(region, box)).autoSnapshotTimeOfDay).toBeUndefined();
    expect(await gateway.listAutoSnapshots(region, box)).toHaveLength(backups.length);
  });

  it('creates an instance from a day’s backup, and deletes one backup by its date', async () => {
    const [latest, older] = await gateway.listAutoSnapshots(region, box);
    const copy = `${target.prefix}-copy`;
    await gateway.waitForOperations(
      await gateway.createInstancesFromSnapshot({ region, instanceNames: [copy], workspace: copy, bundleId: target.bundleId, backup: { instanceName: box, date: older!.date } }),
    );
    expect((await gateway.waitForInstanceState(region, copy, 'running')).bundleId).toBe(target.bundleId);

    await gateway.deleteAutoSnapshot(region, box, latest!.date);
    const again = await gateway.deleteAutoSnapshot(region, box, latest!.date).catch((error: unknown) => error);
    expect((again as PortholeError).kind).toBe('not-found');
    expect((await gateway.listAutoSnapshots(region, box)).map((b) => b.date)).not.toContain(latest!.date);
  });

  it('says which backup does not exist', async () => {
    const failure = await gateway
      .createInstancesFromSnapshot({ region, instanceNames: [`${target.prefix}-none`], workspace: 'none', bundleId: target.bundleId, backup: { instanceName: box, date: '2001-01-01' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PortholeError);
    expect((failure as PortholeError).message).toContain('2001-01-01');
  });
});
