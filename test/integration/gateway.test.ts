import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import { MANAGED_TAG, WORKSPACE_TAG } from '../../src/core/cloud/porthole-tags.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { type GatewayTarget, LIVE_AWS, LIVE_AWS_SKIP_REASON, emulatorTarget, expectMapped, failure, liveAwsTarget, removeLeftovers } from './gateway-target.js';

/**
 * One suite, two clouds: the emulator always, live AWS when asked. What only
 * an emulator can do (inject faults, page by two) is checked on it alone.
 */
function gatewaySuite(label: string, makeTarget: () => Promise<GatewayTarget>): void {
  describe(label, () => {
    let target: GatewayTarget;
    let gateway: LightsailGateway;
    let home: string;
    const name = (suffix: string) => `${target.prefix}-${suffix}`;

    beforeAll(async () => {
      target = await makeTarget();
      gateway = new SdkLightsailGateway(target.account, target.options);
      home = target.regions[0];
    });

    afterAll(async () => {
      if (!gateway) return;
      await removeLeftovers(gateway, target);
      gateway.close();
      await target.close();
    }, 15 * 60_000);

    it('lists regions with their zones, bundles with prices, and blueprints', async () => {
      const regions = await gateway.getRegions();
      for (const region of target.regions) expect(regions.map((r) => r.name)).toContain(region);
      expect(regions.find((r) => r.name === home)!.availabilityZones).toContain(`${home}a`);

      const bundles = await gateway.getBundles(home);
      const bundle = bundles.find((b) => b.id === target.bundleId);
      expect(bundle?.priceMonthlyUsd).toBeGreaterThan(0);
      expect(bundle?.ramSizeInGb).toBeGreaterThan(0);

      const blueprints = await gateway.getBlueprints(home);
      expect(blueprints.find((b) => b.id === target.blueprintId)?.type).toBe('os');
    });

    it('lists instances across four regions, every page, at once', async () => {
      const perRegion = target.kind === 'emulator' ? 5 : 1;
      const created = new Map<string, string[]>();
      await Promise.all(
        target.regions.map(async (region, r) => {
          const names = Array.from({ length: perRegion }, (_, i) => name(`list-${r}-${i}`));
          created.set(region, names);
          const ops = await gateway.createInstances({
            region,
            instanceNames: names,
            workspace: names[0]!,
            bundleId: await bundleIn(gateway, target, region),
            blueprintId: target.blueprintId,
          });
          await gateway.waitForOperations(ops);
        }),
      );

      const { items, failures } = await gateway.listInstancesInRegions(target.regions, 4);
      expect(failures).toEqual([]);
      for (const [region, names] of created) {
        const found = items.filter((i) => i.region === region && i.name.startsWith(target.prefix)).map((i) => i.name);
        expect(found.sort()).toEqual([...names].sort());
      }
      expect(new Set(items.map((i) => `${i.region}/${i.name}`)).size).toBe(items.length);

      await Promise.all(
        [...created].flatMap(([region, names]) => names.map(async (n) => gateway.waitForOperations(await gateway.deleteInstance(region, n)))),
      );
    });

    it('takes a workspace through create, stop, start, static IP, ports, snapshot and delete', async () => {
      const instanceName = name('cycle');
      const ipName = name('cycle-ip');
      const snapshotName = name('cycle-snap');

      const created = await gateway.createInstances({
        region: home,
        instanceNames: [instanceName],
        workspace: instanceName,
        bundleId: target.bundleId,
        blueprintId: target.blueprintId,
        userData: '#!/bin/sh\necho porthole > /tmp/porthole\n',
        tags: { purpose: 'gateway-test' },
      });
      expect(created.map((op) => op.operationType)).toContain('CreateInstance');
      await gateway.waitForOperations(created);
      let instance = await gateway.waitForInstanceState(home, instanceName, 'running');
      expect(instance).toMatchObject({ region: home, availabilityZone: `${home}a`, bundleId: target.bundleId, blueprintId: target.blueprintId });
      expect(instance.tags).toMatchObject({ [MANAGED_TAG]: 'true', [WORKSPACE_TAG]: instanceName, purpose: 'gateway-test' });
      expect(instance.publicIp).toBeTruthy();
      expect(instance.arn).toMatch(/^arn:aws:lightsail:/);

      await gateway.waitForOperations(await gateway.stopInstance(home, instanceName));
      expect(await gateway.waitForInstanceState(home, instanceName, 'stopped')).toMatchObject({ state: 'stopped' });

      await gateway.waitForOperations(await gateway.startInstance(home, instanceName));
      instance = await gateway.waitForInstanceState(home, instanceName, 'running');

      await gateway.waitForOperations(await gateway.allocateStaticIp(home, ipName));
      await gateway.waitForOperations(await gateway.attachStaticIp(home, ipName, instanceName));
      const ip = await gateway.getStaticIp(home, ipName);
      expect(ip).toMatchObject({ isAttached: true, attachedTo: instanceName });
      instance = await gateway.getInstance(home, instanceName);
      expect(instance.isStaticIp).toBe(true);
      expect(instance.publicIp).toBe(ip.ipAddress);
      expect((await gateway.listStaticIps(home)).map((s) => s.name)).toContain(ipName);

      const ssh = { fromPort: 22, toPort: 22, protocol: 'tcp' as const, cidrs: [target.cidr] };
      await gateway.waitForOperations(await gateway.putPublicPorts(home, instanceName, [ssh]));
      expect(await gateway.getPortStates(home, instanceName)).toEqual([{ ...ssh, state: 'open' }]);
      const https = { fromPort: 443, toPort: 443, protocol: 'tcp' as const, cidrs: [target.cidr] };
      await gateway.waitForOperations(await gateway.openPublicPorts(home, instanceName, https));
      expect((await gateway.getPortStates(home, instanceName)).map((p) => p.fromPort).sort()).toEqual([22, 443]);
      await gateway.waitForOperations(await gateway.closePublicPorts(home, instanceName, https));
      expect((await gateway.getPortStates(home, instanceName)).map((p) => p.fromPort)).toEqual([22]);

      await gateway.waitForOperations(await gateway.tagResource(home, instanceName, { owner: 'ana' }));
      expect((await gateway.getInstance(home, instanceName)).tags).toMatchObject({ owner: 'ana', [MANAGED_TAG]: 'true' });
      await gateway.waitForOperations(await gateway.untagResource(home, instanceName, ['owner']));
      expect((await gateway.getInstance(home, instanceName)).tags).not.toHaveProperty('owner');

      await gateway.waitForOperations(await gateway.createSnapshot({ region: home, instanceName, snapshotName, workspace: instanceName }));
      const snapshot = await gateway.getSnapshot(home, snapshotName);
      expect(snapshot).toMatchObject({ state: 'available', fromInstanceName: instanceName });
      expect(snapshot.tags).toMatchObject({ [MANAGED_TAG]: 'true', [WORKSPACE_TAG]: instanceName });
      expect((await gateway.listSnapshots(home)).map((s) => s.name)).toContain(snapshotName);

      await gateway.waitForOperations(await gateway.detachStaticIp(home, ipName));
      await gateway.waitForOperations(await gateway.releaseStaticIp(home, ipName));
      await gateway.waitForOperations(await gateway.deleteInstance(home, instanceName));
      await gateway.waitForOperations(await gateway.deleteSnapshot(home, snapshotName));
      expect(await gateway.findStaticIp(home, ipName)).toBeUndefined();
      expect(await gateway.findSnapshot(home, snapshotName)).toBeUndefined();
      await eventually(async () => expect(await gateway.findInstance(home, instanceName)).toBeUndefined(), target);
    });

    it('hibernates and resumes: snapshot, delete, create from the snapshot with the same static IP', async () => {
      const instanceName = name('hib');
      const snapshotName = name('hib-snap');
      const ipName = name('hib-ip');
      await gateway.waitForOperations(
        await gateway.createInstances({ region: home, instanceNames: [instanceName], workspace: instanceName, bundleId: target.bundleId, blueprintId: target.blueprintId }),
      );
      await gateway.waitForInstanceState(home, instanceName, 'running');
      await gateway.waitForOperations(await gateway.allocateStaticIp(home, ipName));
      await gateway.waitForOperations(await gateway.attachStaticIp(home, ipName, instanceName));
      await gateway.waitForOperations(await gateway.createSnapshot({ region: home, instanceName, snapshotName, workspace: instanceName }));
      await gateway.waitForOperations(await gateway.deleteInstance(home, instanceName));
      await eventually(async () => expect(await gateway.findInstance(home, instanceName)).toBeUndefined(), target);
      expect((await gateway.getStaticIp(home, ipName)).isAttached).toBe(false);

      const resumed = await gateway.createInstancesFromSnapshot({
        region: home,
        instanceNames: [instanceName],
        workspace: instanceName,
        snapshotName,
        bundleId: target.bundleId,
      });
      expect(resumed.map((op) => op.resourceName)).toContain(instanceName);
      await gateway.waitForOperations(resumed);
      const instance = await gateway.waitForInstanceState(home, instanceName, 'running');
      expect(instance.tags).toMatchObject({ [MANAGED_TAG]: 'true', [WORKSPACE_TAG]: instanceName });
      await gateway.waitForOperations(await gateway.attachStaticIp(home, ipName, instanceName));
      expect((await gateway.getInstance(home, instanceName)).publicIp).toBe((await gateway.getStaticIp(home, ipName)).ipAddress);
    });

    it('hands out a short-lived SSH login and the CPU use of an instance', async () => {
      const instanceName = name('ssh');
      await gateway.waitForOperations(
        await gateway.createInstances({ region: home, instanceNames: [instanceName], workspace: instanceName, bundleId: target.bundleId, blueprintId: target.blueprintId }),
      );
      const instance = await gateway.waitForInstanceState(home, instanceName, 'running');

      const access = await gateway.getAccessDetails(home, instanceName);
      expect(access).toMatchObject({ instanceName, ipAddress: instance.publicIp });
      expect(access.username).toBeTruthy();
      expect(access.privateKey).toMatch(/PRIVATE KEY/);
      expect(access.certificate).toMatch(/-cert-v01@openssh\.com /);
      expect(access.expiresAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(access.hostKeys.length).toBeGreaterThan(0);

      const end = new Date();
      const points = await gateway.getCpuUtilization(home, instanceName, { start: new Date(end.getTime() - 3_600_000), end, periodSeconds: 300 });
      for (const [a, b] of points.slice(1).map((p, i) => [points[i]!, p] as const)) expect(a.timestamp <= b.timestamp).toBe(true);
      expect(points.every((p) => p.average === undefined || (p.average >= 0 && p.average <= 100))).toBe(true);
    });

    it('maps each refusal to a PortholeError that says what, why and what to do, with the request id', async () => {
      const missing = await failure(gateway.getInstance(home, name('nothing-here')));
      expectMapped(missing, 'not-found', /read instance ".*nothing-here" in .*: it does not exist/);

      const badBundle = await failure(
        gateway.createInstances({ region: home, instanceNames: [name('bad')], workspace: 'bad', bundleId: 'no_such_bundle', blueprintId: target.blueprintId }),
      );
      expectMapped(badBundle, 'invalid-input', /Lightsail rejected the request/);

      const taken = name('taken');
      await gateway.waitForOperations(
        await gateway.createInstances({ region: home, instanceNames: [taken], workspace: taken, bundleId: target.bundleId, blueprintId: target.blueprintId }),
      );
      const again = await failure(
        gateway.createInstances({ region: home, instanceNames: [taken], workspace: taken, bundleId: target.bundleId, blueprintId: target.blueprintId }),
      );
      expectMapped(again, 'name-taken', /already used by another Lightsail resource/);

      await gateway.waitForInstanceState(home, taken, 'running');
      await gateway.waitForOperations(await gateway.stopInstance(home, taken));
      await gateway.waitForInstanceState(home, taken, 'stopped');
      const rebootStopped = await failure(gateway.rebootInstance(home, taken));
      expectMapped(rebootStopped, 'wrong-state', /not in a state that allows this/);
      await gateway.waitForOperations(await gateway.deleteInstance(home, taken));

      const stranger = new SdkLightsailGateway(
        { ...target.account, credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-the-secret' }) },
        target.options,
      );
      try {
        expectMapped(await failure(stranger.listInstances(home)), 'credentials', /did not accept the account's credentials/);
      } finally {
        stranger.close();
      }
    });
  });
}

gatewaySuite('Lightsail gateway against lightsail-local', emulatorTarget);

if (!LIVE_AWS) console.info(LIVE_AWS_SKIP_REASON);
describe.skipIf(!LIVE_AWS)('live AWS', () => gatewaySuite('Lightsail gateway against live AWS', liveAwsTarget));

/** The target's bundle where the region sells it, else the region's cheapest Linux one: bundle ids differ between AWS regions. */
async function bundleIn(gateway: LightsailGateway, target: GatewayTarget, region: string): Promise<string> {
  const linux = (await gateway.getBundles(region)).filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX'));
  if (linux.some((b) => b.id === target.bundleId)) return target.bundleId;
  const cheapest = linux.sort((a, b) => a.priceMonthlyUsd - b.priceMonthlyUsd)[0];
  if (!cheapest) throw new Error(`${region} sells no Linux bundle`);
  return cheapest.id;
}

async function eventually(check: () => Promise<void>, target: GatewayTarget): Promise<void> {
  const deadline = Date.now() + (target.kind === 'emulator' ? 10_000 : 5 * 60_000);
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, target.kind === 'emulator' ? 20 : 5_000));
    }
  }
}
