import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortholeError } from '../../src/core/errors.js';
import { secretAccount } from '../../src/core/secrets/secret-account.js';
import { startEngineFixture, TEST_ACCOUNT, TEST_REGION, type EngineFixture } from '../support/engine-fixture.js';

const DAY_MS = 24 * 3600_000;

describe('workspace lifecycle over lightsail-local and the real keychain', () => {
  let f: EngineFixture;
  beforeAll(async () => {
    f = await startEngineFixture();
  });
  afterAll(() => f.close());

  const ref = { account: TEST_ACCOUNT, region: TEST_REGION, name: 'demo' };
  let staticAddress: string | undefined;
  let password: string | undefined;

  it('creates a workspace: tagged instance, static IP, SSH from this computer only, password in the keychain', async () => {
    const steps: string[] = [];
    const workspace = await f.engine.create({ name: 'demo', bundleId: 'small_3_0' }, (p) => steps.push(p.step));
    expect(workspace.state).toBe('ready');
    expect(steps).toContain('attach a static IP');

    const instance = await f.gateway.getInstance(TEST_REGION, 'demo');
    expect(instance.tags).toMatchObject({ 'porthole:managed': 'true', 'porthole:workspace': 'demo' });
    expect(instance.isStaticIp).toBe(true);
    const staticIp = await f.gateway.getStaticIp(TEST_REGION, 'porthole-demo');
    expect(staticIp.attachedTo).toBe('demo');
    staticAddress = staticIp.ipAddress;
    expect(workspace.publicIp).toBe(staticAddress);

    const ports = await f.gateway.getPortStates(TEST_REGION, 'demo');
    expect(ports).toEqual([expect.objectContaining({ fromPort: 22, toPort: 22, protocol: 'tcp', cidrs: ['127.0.0.1/32'] })]);

    password = await f.secrets.get(secretAccount(ref));
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(await f.engine.password('demo')).toBe(password);
    const record = f.settings.findWorkspace(ref);
    expect(record).toMatchObject({ name: 'demo', bundleId: 'small_3_0', accessMode: 'tunnel' });
    expect(JSON.stringify(f.settings.get())).not.toContain(password);
  });

  it('refuses a second workspace of the same name, and bad input, before making anything', async () => {
    const before = f.emulator.summary();
    for (const input of [
      { name: 'demo' },
      { name: 'Bad Name' },
      { name: 'ok-name', bundleId: 'huge_9_0' },
      { name: 'ok-name', blueprintId: 'windows_2022' },
      { name: 'ok-name', region: 'mars-north-1' },
    ]) {
      const error = await f.engine.create(input).then(() => undefined, (e: unknown) => e);
      expect(isPortholeError(error), `${JSON.stringify(input)} is refused`).toBe(true);
      expect((error as Error).message.length).toBeGreaterThan(20);
    }
    expect(f.emulator.summary()).toEqual(before);
    expect(await f.secrets.list()).toEqual([secretAccount(ref)]);
  });

  it('stops, starts and reboots, refusing operations that make no sense in the current state', async () => {
    expect((await f.engine.stop('demo')).state).toBe('stopped');
    await expect(f.engine.stop('demo')).rejects.toThrow(/is stopped/);
    await expect(f.engine.resume('demo')).rejects.toThrow(/Only a hibernated workspace/);
    expect((await f.engine.start('demo')).state).toBe('ready');
    expect((await f.engine.reboot('demo')).state).toBe('ready');
  });

  it('hibernates: snapshot kept, instance deleted, static IP kept, and the bill drops below a stopped one', async () => {
    await f.engine.stop('demo');
    const stoppedFrom = f.emulator.billing().totalUsd;
    f.emulator.advance(30 * DAY_MS);
    const stoppedMonth = f.emulator.billing().totalUsd - stoppedFrom;

    const hibernated = await f.engine.hibernate('demo');
    expect(hibernated.state).toBe('hibernated');
    expect(await f.gateway.findInstance(TEST_REGION, 'demo')).toBeUndefined();
    expect(hibernated.snapshotName).toMatch(/^demo-hibernated-/);
    expect((await f.gateway.getStaticIp(TEST_REGION, 'porthole-demo')).ipAddress).toBe(staticAddress);

    const hibernatedFrom = f.emulator.billing().totalUsd;
    f.emulator.advance(30 * DAY_MS);
    const hibernatedMonth = f.emulator.billing().totalUsd - hibernatedFrom;
    expect(stoppedMonth).toBeGreaterThan(11);
    // A kept static IP ($3.60) and the snapshot ($0.05/GB) still bill: about half of a stopped small bundle.
    expect(hibernatedMonth).toBeLessThan(stoppedMonth * 0.6);
    // What the engine tells the user hibernating costs is what the bill says.
    expect(Math.abs(hibernatedMonth - hibernated.cost.monthlyUsd)).toBeLessThan(0.25);
    expect(hibernated.cost.monthlyUsd).toBeLessThan(hibernated.cost.activeMonthlyUsd);
  });

  it('resumes with the same name, static IP and password, and drops the stale snapshot', async () => {
    const resumed = await f.engine.resume('demo');
    expect(resumed.state).toBe('ready');
    expect(resumed.publicIp).toBe(staticAddress);
    expect(await f.engine.password('demo')).toBe(password);
    const instance = await f.gateway.getInstance(TEST_REGION, 'demo');
    expect(instance.bundleId).toBe('small_3_0');
    expect(instance.tags).toMatchObject({ 'porthole:workspace': 'demo' });
    expect((await f.gateway.listSnapshots(TEST_REGION)).filter((s) => s.name.startsWith('demo-'))).toEqual([]);
    const ports = await f.gateway.getPortStates(TEST_REGION, 'demo');
    expect(ports.map((p) => p.fromPort)).toEqual([22]);
  });

  it('deletes everything: instance, static IP, snapshots, password and record', async () => {
    await f.engine.hibernate('demo');
    await f.engine.resume('demo');
    await f.engine.hibernate('demo');
    await f.engine.delete('demo');
    expect(await f.gateway.findInstance(TEST_REGION, 'demo')).toBeUndefined();
    expect(await f.gateway.findStaticIp(TEST_REGION, 'porthole-demo')).toBeUndefined();
    expect(await f.gateway.listSnapshots(TEST_REGION)).toEqual([]);
    expect(await f.secrets.list()).toEqual([]);
    expect(f.settings.get().workspaces).toEqual([]);
    expect(f.engine.list()).toEqual([]);
  });
});
