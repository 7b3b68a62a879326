import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretAccount } from '../../src/core/secrets/secret-account.js';
import { leaksOf } from '../support/crash-suite.js';
import { startEngineFixture, TEST_ACCOUNT, TEST_REGION, type EngineFixture } from '../support/engine-fixture.js';

/**
 * The whole lifecycle while Lightsail misbehaves the way it does on a bad
 * day: 30% of calls throttled, 10% failing with a 500, new instances hidden
 * from reads for a while. Every operation must still finish, and never make
 * a second instance, static IP or snapshot.
 */
describe('workspace lifecycle under throttling, server errors and eventual consistency', () => {
  let f: EngineFixture;
  beforeAll(async () => {
    // The fixture's retries back off 5–50 ms (not AWS's 0.25–8 s), so the hidden-instance window is
    // scaled down with them; 16 attempts make 16 straight faults (0.4^16) the only way a call fails.
    f = await startEngineFixture({}, { retryAttempts: 16 });
    f.emulator.faults.set({ throttleRate: 0.3, serverErrorRate: 0.1, eventualConsistencyMs: 300 });
  });
  afterAll(() => f.close());

  const ref = { account: TEST_ACCOUNT, region: TEST_REGION, name: 'rough' };

  /** What exists in the cloud for the workspace, read with the faults still on. */
  async function resources() {
    const instances = (await f.gateway.listInstances(TEST_REGION)).filter((i) => i.tags['porthole:workspace'] === 'rough');
    const staticIps = (await f.gateway.listStaticIps(TEST_REGION)).filter((ip) => ip.name === 'porthole-rough');
    const snapshots = (await f.gateway.listSnapshots(TEST_REGION)).filter((s) => s.tags['porthole:workspace'] === 'rough');
    return { instances: instances.map((i) => i.state), staticIps: staticIps.length, snapshots: snapshots.length };
  }

  it('creates exactly one instance and one static IP, with the password in the keychain', async () => {
    expect((await f.engine.create({ name: 'rough' })).state).toBe('ready');
    expect(await resources()).toEqual({ instances: ['running'], staticIps: 1, snapshots: 0 });
    expect(await f.secrets.get(secretAccount(ref))).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('stops and starts', async () => {
    expect((await f.engine.stop('rough')).state).toBe('stopped');
    expect((await f.engine.start('rough')).state).toBe('ready');
    expect(await resources()).toEqual({ instances: ['running'], staticIps: 1, snapshots: 0 });
  });

  it('hibernates into exactly one snapshot and resumes into exactly one instance', async () => {
    expect((await f.engine.hibernate('rough')).state).toBe('hibernated');
    expect(await resources()).toEqual({ instances: [], staticIps: 1, snapshots: 1 });
    expect((await f.engine.resume('rough')).state).toBe('ready');
    expect(await resources()).toEqual({ instances: ['running'], staticIps: 1, snapshots: 0 });
  });

  it('deletes everything, and the faults really fired along the way', async () => {
    await f.engine.delete('rough');
    expect(await resources()).toEqual({ instances: [], staticIps: 0, snapshots: 0 });
    expect(await f.secrets.get(secretAccount(ref))).toBeUndefined();
    expect(f.settings.findWorkspace(ref)).toBeUndefined();
    // porthole doctor's listing, read with the faults still on, agrees that nothing is left over.
    expect(await leaksOf(f)).toEqual([]);
    const fired = f.emulator.faults.fired;
    expect(fired.throttle).toBeGreaterThan(10);
    expect(fired['server-error']).toBeGreaterThan(3);
  });
});
