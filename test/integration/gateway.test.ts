import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorKind, PortholeError } from '../../src/core/errors.js';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import type { Operation } from '../../src/core/cloud/model.js';
import { MANAGED_TAG, WORKSPACE_TAG, isPortholeManaged } from '../../src/core/cloud/porthole-tags.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { type GatewayTarget, LIVE_AWS, LIVE_AWS_SKIP_REASON, emulatorTarget, liveAwsTarget } from './gateway-target.js';

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

async function failure(call: Promise<unknown>): Promise<PortholeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof PortholeError) return error;
    throw error;
  }
  throw new Error('the call succeeded; a failure was expected');
}

function expectMapped(error: PortholeError, kind: ErrorKind, what: RegExp): void {
  expect(error.kind, error.message).toBe(kind);
  expect(error.message).toMatch(/^Could not /);
  expect(error.message).toMatch(what);
  expect(error.fix).toBeTruthy();
  expect(error.requestId).toBeTruthy();
  expect(error.message).toContain(`(AWS request id ${error.requestId})`);
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

/** Deletes what this run created and a failed test left behind: only `prefix` names, and only tagged instances and snapshots. */
async function removeLeftovers(gateway: LightsailGateway, target: GatewayTarget): Promise<void> {
  const ours = (resource: { name: string; tags: Record<string, string> }) =>
    resource.name.startsWith(target.prefix) && isPortholeManaged(resource.tags);
  const finish = async (ops: Promise<Operation[]>) => gateway.waitForOperations(await ops);
  for (const region of target.regions) {
    // Each step goes on when another fails, so one stuck resource cannot leave the rest behind.
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      await step().catch((error) => console.warn(`cleanup of ${what} in ${region}: ${String(error)}`));
    };
    await attempt('static IPs', async () => {
      for (const ip of await gateway.listStaticIps(region)) {
        if (!ip.name.startsWith(target.prefix)) continue;
        if (ip.isAttached) await attempt(ip.name, () => finish(gateway.detachStaticIp(region, ip.name)));
        await attempt(ip.name, () => gateway.releaseStaticIp(region, ip.name));
      }
    });
    await attempt('instances', async () => {
      const instances = (await gateway.listInstances(region)).filter(ours);
      await Promise.all(instances.map((i) => attempt(i.name, () => finish(gateway.deleteInstance(region, i.name)))));
    });
    await attempt('snapshots', async () => {
      for (const snapshot of (await gateway.listSnapshots(region)).filter(ours)) {
        await attempt(snapshot.name, () => gateway.deleteSnapshot(region, snapshot.name));
      }
    });
  }
}

describe('Lightsail gateway under injected faults (lightsail-local only)', () => {
  let target: GatewayTarget;
  let gateway: SdkLightsailGateway;
  let home: string;
  const name = (suffix: string) => `${target.prefix}-${suffix}`;
  const faults = () => target.emulator!.faults;

  beforeAll(async () => {
    target = await emulatorTarget();
    gateway = new SdkLightsailGateway(target.account, target.options);
    home = target.regions[1];
  });

  afterAll(async () => {
    if (!gateway) return;
    faults().clear();
    await removeLeftovers(gateway, target);
    gateway.close();
    await target.close();
  });

  it('finishes a burst of workspaces under 30% throttling and injected 5xx, with nothing duplicated', async () => {
    const names = Array.from({ length: 6 }, (_, i) => name(`burst-${i}`));
    faults().set({ throttleRate: 0.3, serverErrorRate: 0.1 });
    await Promise.all(
      names.map(async (n) => {
        await gateway.waitForOperations(
          await gateway.createInstances({ region: home, instanceNames: [n], workspace: n, bundleId: target.bundleId, blueprintId: target.blueprintId }),
        );
        await gateway.waitForInstanceState(home, n, 'running');
        await gateway.waitForOperations(await gateway.allocateStaticIp(home, `${n}-ip`));
        await gateway.waitForOperations(await gateway.attachStaticIp(home, `${n}-ip`, n));
        await gateway.waitForOperations(await gateway.stopInstance(home, n));
      }),
    );
    const listed = (await gateway.listInstances(home)).filter((i) => i.name.startsWith(target.prefix));
    faults().clear();

    expect(listed.map((i) => i.name).sort()).toEqual([...names].sort());
    expect(listed.every((i) => i.state === 'stopped' && i.isStaticIp)).toBe(true);
    const ips = (await gateway.listStaticIps(home)).filter((ip) => ip.name.startsWith(target.prefix));
    expect(ips.map((ip) => ip.name).sort()).toEqual(names.map((n) => `${n}-ip`).sort());
    for (const n of names) {
      const creates = (await gateway.getOperationsForResource(home, n)).filter((op) => op.operationType === 'CreateInstance');
      expect(creates).toHaveLength(1);
    }
  });

  it('recognises its own change when the answer to it was lost, instead of failing or repeating it', async () => {
    const proxy = await answerLosingProxy(target.emulator!.endpoint);
    const lossy = new SdkLightsailGateway({ ...target.account, endpoint: proxy.endpoint }, target.options);
    const n = name('lost');
    try {
      proxy.loseNext('CreateInstances');
      const created = await lossy.createInstances({ region: home, instanceNames: [n], workspace: n, bundleId: target.bundleId, blueprintId: target.blueprintId });
      expect(created.map((op) => [op.operationType, op.resourceName])).toEqual([['CreateInstance', n]]);
      await lossy.waitForOperations(created);
      await lossy.waitForInstanceState(home, n, 'running');

      proxy.loseNext('AllocateStaticIp');
      await lossy.waitForOperations(await lossy.allocateStaticIp(home, `${n}-ip`));
      proxy.loseNext('AttachStaticIp');
      await lossy.waitForOperations(await lossy.attachStaticIp(home, `${n}-ip`, n));
      expect((await lossy.getStaticIp(home, `${n}-ip`)).attachedTo).toBe(n);

      proxy.loseNext('StopInstance');
      await lossy.waitForOperations(await lossy.stopInstance(home, n));
      await lossy.waitForInstanceState(home, n, 'stopped');
      proxy.loseNext('StartInstance');
      await lossy.waitForOperations(await lossy.startInstance(home, n));
      await lossy.waitForInstanceState(home, n, 'running');

      proxy.loseNext('DetachStaticIp');
      await lossy.waitForOperations(await lossy.detachStaticIp(home, `${n}-ip`));
      proxy.loseNext('ReleaseStaticIp');
      await lossy.waitForOperations(await lossy.releaseStaticIp(home, `${n}-ip`));
      proxy.loseNext('DeleteInstance');
      await lossy.waitForOperations(await lossy.deleteInstance(home, n));

      const ops = await gateway.getOperationsForResource(home, n);
      const count = (type: string) => ops.filter((op) => op.operationType === type).length;
      expect([count('CreateInstance'), count('StopInstance'), count('StartInstance'), count('DeleteInstance')]).toEqual([1, 1, 1, 1]);
      expect(await gateway.findStaticIp(home, `${n}-ip`)).toBeUndefined();
    } finally {
      lossy.close();
      await proxy.close();
    }
  });

  it('reports throttling that outlasts the retries as throttled, with the request id', async () => {
    faults().set({ throttleRate: 1 });
    try {
      expectMapped(await failure(gateway.listInstances(home)), 'throttled', /kept limiting the request rate, 10 attempts in a row/);
    } finally {
      faults().clear();
    }
  });

  it('reports a service that keeps failing as a service error, with the request id', async () => {
    faults().set({ serverErrorRate: 1 });
    try {
      expectMapped(await failure(gateway.getRegions()), 'service', /failed on its side \(ServiceException, HTTP 500, 10 attempts\)/);
    } finally {
      faults().clear();
    }
  });

  it('reports an endpoint that does not answer as a network error naming it', async () => {
    const closed = await closedLoopbackPort();
    const offline = new SdkLightsailGateway({ ...target.account, endpoint: `http://127.0.0.1:${closed}` }, target.options);
    try {
      const error = await failure(offline.listInstances(home));
      expect(error.kind).toBe('network');
      expect(error.message).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${closed} did not answer \\(ECONNREFUSED\\)`));
      expect(error.fix).toMatch(/lightsail-local/);
    } finally {
      offline.close();
    }
  });

  it('reads a new instance back although Lightsail hides it for a while', async () => {
    faults().set({ eventualConsistencyMs: 300 });
    try {
      const n = name('late');
      const ops = await gateway.createInstances({ region: home, instanceNames: [n], workspace: n, bundleId: target.bundleId, blueprintId: target.blueprintId });
      expect((await gateway.getInstance(home, n)).tags[WORKSPACE_TAG]).toBe(n);
      await gateway.waitForOperations(ops);
      expect((await gateway.waitForInstanceState(home, n, 'running')).name).toBe(n);
    } finally {
      faults().clear();
    }
  });

  it('gives up waiting on an instance stuck stopping, and force-stops it', async () => {
    const n = name('stuck');
    await gateway.waitForOperations(
      await gateway.createInstances({ region: home, instanceNames: [n], workspace: n, bundleId: target.bundleId, blueprintId: target.blueprintId }),
    );
    await gateway.waitForInstanceState(home, n, 'running');
    faults().set({ stuckStopping: [n] });
    try {
      await gateway.stopInstance(home, n);
      const stuck = await failure(gateway.waitForInstanceState(home, n, 'stopped', { timeoutMs: 300, pollIntervalMs: 20 }));
      expect(stuck.kind).toBe('timeout');
      expect(stuck.message).toMatch(/did not become stopped .* \(it is stopping\)/);
      const forced = await gateway.stopInstance(home, n, { force: true });
      faults().clear();
      await gateway.waitForOperations(forced);
      await gateway.waitForInstanceState(home, n, 'stopped');
    } finally {
      faults().clear();
    }
  });
});

/**
 * A loopback proxy in front of the emulator that lets chosen calls through and
 * then answers them with a 500, as when a change was made but its answer lost.
 */
async function answerLosingProxy(upstream: string): Promise<{ endpoint: string; loseNext(operation: string): void; close(): Promise<void> }> {
  const toLose = new Map<string, number>();
  const upstreamUrl = new URL(upstream);
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const forward = httpRequest(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const lose = toLose.get(operation) ?? 0;
            if (lose > 0 && (answer.statusCode ?? 500) < 300) {
              toLose.set(operation, lose - 1);
              const text = JSON.stringify({ __type: 'ServiceException', message: 'The answer was lost on the way back.' });
              response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'lost-answer' });
              response.end(text);
              return;
            }
            response.writeHead(answer.statusCode ?? 500, answer.headers);
            response.end(Buffer.concat(body));
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    loseNext: (operation) => toLose.set(operation, (toLose.get(operation) ?? 0) + 1),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
