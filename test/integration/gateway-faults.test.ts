import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../src/core/access/ssh-tunnel.js';
import { WORKSPACE_TAG } from '../../src/core/cloud/porthole-tags.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { type GatewayTarget, emulatorTarget, expectMapped, failure, removeLeftovers } from './gateway-target.js';

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
    const closed = await freeLoopbackPort();
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
