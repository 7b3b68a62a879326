import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateInstancesCommand,
  CreateKeyPairCommand,
  GetBlueprintsCommand,
  GetBundlesCommand,
  GetInstanceSnapshotsCommand,
  GetInstancesCommand,
  GetKeyPairsCommand,
  GetOperationsCommand,
  GetOperationsForResourceCommand,
  GetStaticIpsCommand,
  GetRegionsCommand,
  LightsailClient,
} from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { type RunningEmulator, SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';
import { hibernationSnapshotName, staticIpNameFor } from '../../src/core/workspaces/workspace-resources.js';
import { OPERATIONS } from '../../src/emulator/lightsail-api.js';
import { signRequest } from '../../src/emulator/sigv4.js';
import { loadLightsailModel } from '../support/lightsail-model.js';
import { type ModelAllowances, type Violation, ModelValidator } from '../support/model-validator.js';
import { type Exchange, type RecordingProxy, startRecordingProxy } from '../support/recording-proxy.js';

/**
 * botocore's Lightsail model is the oracle: written by AWS, not by this
 * project, so an answer both the emulator and the gateway agree on still has
 * to be one real Lightsail could give. Every exchange crosses a recording
 * proxy and is judged raw, before an SDK forgives anything.
 */
const REGION = 'us-east-1';
const DAY = 24 * 60 * 60_000;

/**
 * Where real Lightsail goes beyond the model Debian ships, each for a reason
 * outside this project. The suite fails once the model covers one itself.
 */
const BEYOND_THE_MODEL: ModelAllowances = {
  members: {
    // Added to botocore's model after Debian's copy; the live service sends them.
    Bundle: ['supportedAppCategories', 'publicIpv4AddressCount'],
    InstanceAccessDetails: ['ipv6Addresses'],
  },
  enumValues: {
    // Jakarta, added to the model after Debian's copy.
    RegionName: ['ap-southeast-3'],
    // AWS's own recorded answers say 'public' (awscli's examples, get-instance.rst), not the model's 'Public'.
    PortAccessType: ['public'],
    // AWS's recorded answers to delete-auto-snapshot, create-key-pair and delete-key-pair (awscli's examples) say
    // 'DeleteAutoSnapshot', 'CreateKeyPair' and 'DeleteKeyPair'; the model names no type for them, nor for tag
    // changes, which Lightsail reports the same way, under the call's name.
    OperationType: ['DeleteAutoSnapshot', 'TagResource', 'UntagResource', 'CreateKeyPair', 'DeleteKeyPair'],
  },
};
const CLOUD_DIR = join(import.meta.dirname, '../../src/core/cloud');

/** Every operation the gateway sends, read from its code: each `new XxxCommand(`. */
function gatewayOperations(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(CLOUD_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    for (const match of readFileSync(join(CLOUD_DIR, file), 'utf8').matchAll(/new (\w+)Command\(/g)) names.add(match[1]!);
  }
  return [...names].sort();
}

describe('lightsail-local and the gateway against the botocore Lightsail model', () => {
  let validator: ModelValidator;
  let modelPath: string;
  let emulator: RunningEmulator;
  let proxy: RecordingProxy;
  let gateway: SdkLightsailGateway;
  let client: LightsailClient;
  /** Every exchange judged so far, for the coverage check. */
  const judged: Exchange[] = [];

  beforeAll(async () => {
    const loaded = loadLightsailModel();
    validator = new ModelValidator(loaded.model, BEYOND_THE_MODEL);
    modelPath = loaded.path;
    // A minute of emulated time in 10 ms, and lists paged by two so paging is on the wire too.
    emulator = await startEmulator({ port: 0, timeScale: 6_000, pageSize: 2, seed: 11 });
    proxy = await startRecordingProxy(emulator.endpoint);
    const account = { region: REGION, credentials: async () => ({ ...SANDBOX_CREDENTIALS }), endpoint: proxy.endpoint };
    gateway = new SdkLightsailGateway(account, {
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      waitTiming: { pollIntervalMs: 20, timeoutMs: 20_000, visibilityGraceMs: 5_000 },
      settleMs: 0,
    });
    client = new LightsailClient({ region: REGION, endpoint: proxy.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
  });

  afterAll(async () => {
    gateway?.close();
    client?.destroy();
    await proxy?.close();
    await emulator?.close();
  });

  /** Judges what crossed the proxy since the last call; requests only when the gateway made them. */
  function judge(options: { requests: boolean }): Violation[] {
    const exchanges = proxy.take();
    judged.push(...exchanges);
    return exchanges.flatMap((exchange) => {
      const where = (v: Violation): Violation => ({ path: `${exchange.operation} ${exchange.status < 400 ? 'answer' : 'error'} ${v.path}`.trim(), problem: v.problem });
      const found: Violation[] = [];
      if (options.requests) found.push(...validator.input(exchange.operation, exchange.requestBody).map((v) => ({ ...v, path: `${exchange.operation} request ${v.path}`.trim() })));
      if (exchange.status === 200) found.push(...validator.output(exchange.operation, exchange.responseBody).map(where));
      else found.push(...validator.error(exchange.operation, exchange.status, exchange.responseBody).map(where));
      if (!exchange.responseHeaders['x-amzn-requestid']) found.push({ path: exchange.operation, problem: 'the answer has no x-amzn-requestid header' });
      return found;
    });
  }

  /** A POST of `body` to the proxy, SigV4-signed or not, as no SDK would send it. */
  async function rawCall(operation: string, body: string, options: { sign: boolean }): Promise<void> {
    const url = new URL(proxy.endpoint);
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Lightsail_20161128.${operation}` };
    const signed = options.sign ? signRequest({ method: 'POST', url: '/', host: url.host, headers, body }, SANDBOX_CREDENTIALS, REGION) : headers;
    const { host: _host, ...sendable } = signed as Record<string, string>;
    await (await fetch(proxy.endpoint, { method: 'POST', headers: sendable, body })).arrayBuffer();
  }

  it('the gateway takes a workspace through its whole life: every request fits the input shapes, every answer the output shapes', async () => {
    // Named as the engine names a workspace's resources, so those names meet the model's patterns too.
    const name = 'model-cycle';
    const ip = staticIpNameFor(name);
    const snapshot = hibernationSnapshotName(name, new Date(emulator.now()));
    const copy = 'model-cycle-copy';
    const restored = 'model-cycle-restored';

    await gateway.getRegions();
    await gateway.getBundles(REGION);
    await gateway.getBlueprints(REGION);
    const created = await gateway.createInstances({
      region: REGION,
      instanceNames: [name],
      workspace: name,
      bundleId: 'micro_3_0',
      blueprintId: 'ubuntu_22_04',
      userData: '#!/bin/sh\necho porthole\n',
      tags: { purpose: 'model-conformance' },
    });
    await gateway.waitForOperations(created);
    await gateway.waitForInstanceState(REGION, name, 'running');
    await gateway.listInstances(REGION);
    await gateway.listInstancesInRegions([REGION, 'eu-west-2']);
    await gateway.getInstanceState(REGION, name);

    await gateway.waitForOperations(await gateway.allocateStaticIp(REGION, ip));
    await gateway.waitForOperations(await gateway.attachStaticIp(REGION, ip, name));
    await gateway.getStaticIp(REGION, ip);
    await gateway.listStaticIps(REGION);

    const ssh = { fromPort: 22, toPort: 22, protocol: 'tcp' as const, cidrs: ['127.0.0.1/32'] };
    const https = { fromPort: 443, toPort: 443, protocol: 'tcp' as const, cidrs: ['127.0.0.1/32'] };
    await gateway.waitForOperations(await gateway.putPublicPorts(REGION, name, [ssh]));
    await gateway.waitForOperations(await gateway.openPublicPorts(REGION, name, https));
    await gateway.waitForOperations(await gateway.closePublicPorts(REGION, name, https));
    await gateway.getPortStates(REGION, name);

    await gateway.getAccessDetails(REGION, name);
    emulator.advance(30 * 60_000);
    await gateway.getCpuUtilization(REGION, name, { start: new Date(emulator.now() - 30 * 60_000), end: new Date(emulator.now()) });

    await gateway.waitForOperations(await gateway.enableAutoSnapshots(REGION, name, '04:00'));
    emulator.advance(2 * DAY);
    const [backup] = await gateway.listAutoSnapshots(REGION, name);
    expect(backup).toBeDefined();
    await gateway.waitForOperations(
      await gateway.createInstancesFromSnapshot({ region: REGION, instanceNames: [restored], workspace: name, bundleId: 'micro_3_0', backup: { instanceName: name, date: backup!.date } }),
    );
    await gateway.waitForOperations(await gateway.deleteAutoSnapshot(REGION, name, backup!.date));
    await gateway.waitForOperations(await gateway.disableAutoSnapshots(REGION, name));

    // Porthole makes no key pairs; porthole doctor lists and deletes ones tagged as its own.
    await client.send(new CreateKeyPairCommand({ keyPairName: 'model-key', tags: [{ key: 'porthole:workspace', value: name }] }));
    await gateway.waitForOperations(await gateway.tagResource(REGION, 'model-key', { team: 'oracle' }));
    await gateway.listKeyPairs(REGION);
    await gateway.waitForOperations(await gateway.deleteKeyPair(REGION, 'model-key'));

    await gateway.waitForOperations(await gateway.tagResource(REGION, name, { team: 'oracle' }));
    await gateway.waitForOperations(await gateway.untagResource(REGION, name, ['team']));
    await gateway.waitForOperations(await gateway.rebootInstance(REGION, name));
    await gateway.waitForInstanceState(REGION, name, 'running');
    await gateway.waitForOperations(await gateway.stopInstance(REGION, name));
    await gateway.waitForInstanceState(REGION, name, 'stopped');

    await gateway.waitForOperations(await gateway.createSnapshot({ region: REGION, instanceName: name, snapshotName: snapshot, workspace: name }));
    await gateway.getSnapshot(REGION, snapshot);
    await gateway.listSnapshots(REGION);
    await gateway.waitForOperations(await gateway.startInstance(REGION, name));
    await gateway.waitForInstanceState(REGION, name, 'running');
    await gateway.waitForOperations(await gateway.stopInstance(REGION, name, { force: true }));

    await gateway.waitForOperations(
      await gateway.createInstancesFromSnapshot({ region: REGION, instanceNames: [copy], workspace: name, bundleId: 'micro_3_0', snapshotName: snapshot }),
    );
    await gateway.getInstance(REGION, copy);
    await gateway.getOperationsForResource(REGION, name);

    await gateway.waitForOperations(await gateway.detachStaticIp(REGION, ip));
    await gateway.waitForOperations(await gateway.releaseStaticIp(REGION, ip));
    await gateway.waitForOperations(await gateway.deleteSnapshot(REGION, snapshot));
    await gateway.waitForOperations(await gateway.deleteInstance(REGION, copy));
    await gateway.waitForOperations(await gateway.deleteInstance(REGION, restored));
    await gateway.waitForOperations(await gateway.deleteInstance(REGION, name));

    expect(judge({ requests: true })).toEqual([]);
  });

  it('the gateway meets missing and busy resources: each refusal is one its operation declares, in the body botocore parses', async () => {
    const before = judged.length;
    const missing = 'model-missing';
    const refusals = [
      gateway.getInstance(REGION, missing),
      gateway.getInstanceState(REGION, missing),
      gateway.startInstance(REGION, missing),
      gateway.stopInstance(REGION, missing),
      gateway.rebootInstance(REGION, missing),
      gateway.getStaticIp(REGION, missing),
      gateway.attachStaticIp(REGION, missing, missing),
      gateway.detachStaticIp(REGION, missing),
      gateway.getPortStates(REGION, missing),
      gateway.openPublicPorts(REGION, missing, { fromPort: 22, toPort: 22, protocol: 'tcp', cidrs: [] }),
      gateway.closePublicPorts(REGION, missing, { fromPort: 22, toPort: 22, protocol: 'tcp', cidrs: [] }),
      gateway.putPublicPorts(REGION, missing, []),
      gateway.getAccessDetails(REGION, missing),
      gateway.getCpuUtilization(REGION, missing, { start: new Date(emulator.now() - 600_000), end: new Date(emulator.now()) }),
      gateway.getSnapshot(REGION, missing),
      gateway.createSnapshot({ region: REGION, instanceName: missing, snapshotName: `${missing}-snap`, workspace: missing }),
      gateway.createInstancesFromSnapshot({ region: REGION, instanceNames: [`${missing}-copy`], workspace: missing, bundleId: 'micro_3_0', snapshotName: missing }),
      gateway.getOperation(REGION, '00000000-0000-4000-8000-000000000000'),
      gateway.enableAutoSnapshots(REGION, missing, '04:00'),
      gateway.disableAutoSnapshots(REGION, missing),
      gateway.listAutoSnapshots(REGION, missing),
      gateway.deleteAutoSnapshot(REGION, missing, '2001-01-01'),
      gateway.createInstancesFromSnapshot({ region: REGION, instanceNames: [`${missing}-restored`], workspace: missing, bundleId: 'micro_3_0', backup: { instanceName: missing, date: '2001-01-01' } }),
      gateway.tagResource(REGION, missing, { a: 'b' }),
      gateway.untagResource(REGION, missing, ['a']),
    ];
    const outcomes = await Promise.allSettled(refusals);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toEqual([]);

    // Whether the gateway forgives a delete of what is gone is its own business; the wire has to say not found.
    await Promise.allSettled([gateway.deleteInstance(REGION, missing), gateway.deleteSnapshot(REGION, missing), gateway.releaseStaticIp(REGION, missing), gateway.deleteKeyPair(REGION, missing)]);

    const busy = 'model-busy';
    await gateway.waitForOperations(
      await gateway.createInstances({ region: REGION, instanceNames: [busy], workspace: busy, bundleId: 'micro_3_0', blueprintId: 'ubuntu_22_04' }),
    );
    await gateway.waitForInstanceState(REGION, busy, 'running');
    await expect(
      gateway.createInstances({ region: REGION, instanceNames: [busy], workspace: 'someone-else', bundleId: 'micro_3_0', blueprintId: 'ubuntu_22_04' }),
    ).rejects.toThrow();
    await expect(gateway.startInstance(REGION, busy)).rejects.toThrow();
    await gateway.waitForOperations(await gateway.allocateStaticIp(REGION, `${busy}-ip`));
    await expect(gateway.allocateStaticIp(REGION, `${busy}-ip`)).rejects.toThrow();
    await gateway.waitForOperations(await gateway.releaseStaticIp(REGION, `${busy}-ip`));
    await gateway.waitForOperations(await gateway.deleteInstance(REGION, busy));

    expect(judge({ requests: true })).toEqual([]);
    const codes = judged.slice(before).filter((e) => e.status >= 400).map((e) => (e.responseBody as { __type?: unknown }).__type);
    expect(new Set(codes)).toEqual(new Set(['NotFoundException', 'InvalidInputException']));
  });

  it('requests no client of the gateway would send are refused with a declared error, and the front door with a common one', async () => {
    const before = judged.length;
    const send = (answer: Promise<unknown>) => answer.catch(() => undefined);
    // Malformed on purpose: only the answers are judged here.
    await send(client.send(new GetOperationsCommand({})));
    await send(client.send(new GetOperationsCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetBundlesCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetBlueprintsCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetInstancesCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetStaticIpsCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetInstanceSnapshotsCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new GetKeyPairsCommand({ pageToken: 'not-a-token' })));
    await send(client.send(new CreateKeyPairCommand({ keyPairName: 'bad name!' })));
    await send(client.send(new GetOperationsForResourceCommand({ resourceName: 'model-missing', pageToken: 'not-a-token' })));
    await send(client.send(new CreateInstancesCommand({ instanceNames: ['model-bad'], availabilityZone: `${REGION}a`, bundleId: 'no_such_bundle', blueprintId: 'ubuntu_22_04' })));
    await send(client.send(new CreateInstancesCommand({ instanceNames: ['bad name!'], availabilityZone: `${REGION}a`, bundleId: 'micro_3_0', blueprintId: 'ubuntu_22_04' })));
    emulator.faults.set({ throttleRate: 1 });
    await send(client.send(new GetRegionsCommand({})));
    emulator.faults.set({ throttleRate: 0, serverErrorRate: 1 });
    await send(client.send(new GetRegionsCommand({})));
    emulator.faults.clear();
    const stranger = new LightsailClient({
      region: REGION,
      endpoint: proxy.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-the-secret' },
      maxAttempts: 1,
    });
    await stranger.send(new GetRegionsCommand({})).catch(() => undefined);
    stranger.destroy();
    // What no SDK sends: a body that is not JSON, and no signature at all.
    await rawCall('GetRegions', 'not json', { sign: true });
    await rawCall('GetRegions', '{}', { sign: false });

    expect(judge({ requests: false })).toEqual([]);
    const codes = judged.slice(before).map((e) => String((e.responseBody as { __type?: unknown }).__type ?? 'none').replace(/^.*#/, ''));
    expect(new Set(codes)).toEqual(
      new Set(['none', 'InvalidInputException', 'ThrottlingException', 'ServiceException', 'UnrecognizedClientException', 'SerializationException', 'MissingAuthenticationTokenException']),
    );
  });

  it('covers every operation lightsail-local serves, each answered and refused, and every one the gateway calls', ({ task }) => {
    const served = Object.keys(OPERATIONS).sort();
    const answered = new Set(judged.filter((e) => e.status === 200).map((e) => e.operation));
    const refused = new Set(judged.filter((e) => e.status >= 400).map((e) => e.operation));
    const calledByGateway = gatewayOperations();

    expect(served.filter((op) => !(op in validator.model.operations))).toEqual([]);
    expect(calledByGateway.filter((op) => !served.includes(op))).toEqual([]);
    expect(served.filter((op) => !answered.has(op))).toEqual([]);
    expect(served.filter((op) => !refused.has(op))).toEqual([]);
    expect(calledByGateway.length).toBeGreaterThan(30);
    expect(validator.staleAllowances(), 'the model now covers these: remove them from BEYOND_THE_MODEL').toEqual([]);

    const figure =
      `model conformance: ${served.length} operations served, ${calledByGateway.length} called by the gateway, ` +
      `${judged.length} exchanges, ${validator.checks} checks against ${modelPath}`;
    console.log(`${figure}\nthe gateway calls: ${calledByGateway.join(', ')}`);
    task.meta.figure = figure;
  });
});
