import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AllocateStaticIpCommand,
  AttachStaticIpCommand,
  CreateInstanceSnapshotCommand,
  DeleteInstanceCommand,
  DetachStaticIpCommand,
  GetInstanceCommand,
  GetInstancesCommand,
  GetOperationCommand,
  GetOperationsCommand,
  GetRegionsCommand,
  GetStaticIpsCommand,
  type LightsailClient,
  NotFoundException,
  ServiceException,
  StopInstanceCommand,
} from '@aws-sdk/client-lightsail';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure } from '../support/sdk-failure.js';
import { createInstance as create, emulatorsForSuite, instanceNamed as instance, sdkClient as client } from '../support/emulator-sdk.js';
import { type RunningEmulator, SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';
import { signRequest } from '../../src/emulator/sigv4.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const emulator = emulatorsForSuite();

describe('persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emu-state-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the world across a restart, and resumes changes from their timestamps', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ stateFile });
    const before = client(first);
    await create(before, 'keeper', { userData: 'echo persisted' });
    await before.send(new AllocateStaticIpCommand({ staticIpName: 'kept-ip' }));
    const ca = await first.sshCaPublicKey();
    await first.close();
    expect(await readdir(dir)).toEqual(['state.json']);

    const second = await emulator({ stateFile });
    const after = client(second);
    expect((await instance(after, 'keeper')).state?.name).toBe('pending');
    second.advance(MINUTE);
    expect((await instance(after, 'keeper')).state?.name).toBe('running');
    expect(second.userData('keeper')).toBe('echo persisted');
    expect((await after.send(new GetStaticIpsCommand({}))).staticIps?.map((s) => s.name)).toEqual(['kept-ip']);
    expect(await second.sshCaPublicKey()).toBe(ca);
    const ops = (await after.send(new GetOperationsCommand({}))).operations ?? [];
    expect(ops.find((o) => o.resourceName === 'keeper')?.status).toBe('Succeeded');
  });
});

describe('billing', () => {
  it('charges running and stopped instances by the hour, stops at deletion, and bills idle static IPs and snapshots', async () => {
    const emu = await emulator();
    const lightsail = client(emu);
    await create(lightsail, 'billed');
    await create(lightsail, 'parked');
    emu.advance(MINUTE);
    await lightsail.send(new StopInstanceCommand({ instanceName: 'parked' }));
    await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'idle-ip' }));
    emu.advance(730 * HOUR - MINUTE);
    const month = emu.billing();
    const usd = (name: string) => month.resources.find((r) => r.resourceName === name)?.usd;
    expect(usd('billed')).toBeCloseTo(5, 3);
    expect(usd('parked')).toBeCloseTo(5, 3);
    expect(usd('idle-ip')).toBeCloseTo(729 * 0.005, 3);
    expect(month.totalUsd).toBeCloseTo(10 + 729 * 0.005, 3);

    await lightsail.send(new DeleteInstanceCommand({ instanceName: 'billed' }));
    await lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'parked', instanceSnapshotName: 'parked-snap' }));
    emu.advance(730 * HOUR);
    const later = emu.billing();
    const charge = (name: string) => later.resources.find((r) => r.resourceName === name);
    expect(charge('billed')).toMatchObject({ accruing: false });
    expect(charge('billed')?.usd).toBeCloseTo(5, 3);
    expect(charge('parked')?.usd).toBeCloseTo(10, 3);
    expect(charge('parked-snap')?.usd).toBeCloseTo(20 * 0.05, 3);
    expect(later.byRegion['us-east-1']).toBeCloseTo(later.totalUsd, 3);
  });

  it('lets an attached static IP go free and gives a detached one its first hour', async () => {
    const emu = await emulator();
    const lightsail = client(emu);
    await create(lightsail, 'holder');
    await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'held' }));
    await lightsail.send(new AttachStaticIpCommand({ staticIpName: 'held', instanceName: 'holder' }));
    emu.advance(10 * HOUR);
    expect(emu.billing().resources.find((r) => r.resourceName === 'held')?.usd).toBe(0);
    await lightsail.send(new DetachStaticIpCommand({ staticIpName: 'held' }));
    emu.advance(3 * HOUR);
    expect(emu.billing().resources.find((r) => r.resourceName === 'held')?.usd).toBeCloseTo(2 * 0.005, 5);
  });
});

describe('faults', () => {
  let emu: RunningEmulator;
  let lightsail: LightsailClient;
  beforeAll(async () => {
    emu = await emulator();
    lightsail = client(emu);
  });
  afterEach(() => emu.faults.clear());

  it('throttles with ThrottlingException (400)', async () => {
    emu.faults.set({ throttleRate: 1 });
    const error = await sdkFailure(lightsail.send(new GetRegionsCommand({})));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('fails with ServiceException (500)', async () => {
    emu.faults.set({ serverErrorRate: 1 });
    const error = await sdkFailure(lightsail.send(new GetRegionsCommand({})));
    expect(error).toBeInstanceOf(ServiceException);
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  it('adds latency', async () => {
    emu.faults.set({ latencyMs: 150 });
    const startedAt = performance.now();
    await lightsail.send(new GetRegionsCommand({}));
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
  });

  it('hides a new instance from reads for a while', async () => {
    emu.faults.set({ eventualConsistencyMs: 300 });
    await create(lightsail, 'shy');
    expect(await sdkFailure(lightsail.send(new GetInstanceCommand({ instanceName: 'shy' })))).toBeInstanceOf(NotFoundException);
    expect((await lightsail.send(new GetInstancesCommand({}))).instances?.map((i) => i.name)).not.toContain('shy');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await instance(lightsail, 'shy')).name).toBe('shy');
  });

  it('keeps an instance stuck in stopping until the fault is cleared', async () => {
    await create(lightsail, 'stuck');
    emu.advance(MINUTE);
    emu.faults.set({ stuckStopping: ['stuck'] });
    const { operations } = await lightsail.send(new StopInstanceCommand({ instanceName: 'stuck' }));
    emu.advance(HOUR);
    expect((await instance(lightsail, 'stuck')).state?.name).toBe('stopping');
    expect((await lightsail.send(new GetOperationCommand({ operationId: operations?.[0]?.id }))).operation?.status).toBe('Started');
    emu.faults.clear();
    expect((await instance(lightsail, 'stuck')).state?.name).toBe('stopped');
  });

  it('fails the same calls for the same seed', async () => {
    const outcomes = async (): Promise<string> => {
      const seeded = await emulator({ seed: 42 });
      seeded.faults.set({ throttleRate: 0.3, serverErrorRate: 0.2 });
      const c = client(seeded);
      let pattern = '';
      for (let i = 0; i < 20; i += 1) {
        pattern += await c.send(new GetRegionsCommand({})).then(
          () => '.',
          (e: Error) => (e.name === 'ThrottlingException' ? 'T' : 'E'),
        );
      }
      return pattern;
    };
    const a = await outcomes();
    expect(a).toMatch(/T/);
    expect(a).toMatch(/E/);
    expect(await outcomes()).toBe(a);
  });

  it('is driven through the control endpoint too', async () => {
    const set = await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ throttleRate: 1 }) });
    expect((await set.json()) as unknown).toMatchObject({ throttleRate: 1 });
    expect((await sdkFailure(lightsail.send(new GetRegionsCommand({})))).name).toBe('ThrottlingException');
    await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'DELETE' });
    await lightsail.send(new GetRegionsCommand({}));
    const bad = await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ throttleRate: 2 }) });
    expect(bad.status).toBe(400);
  });
});

describe('the front door', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await emulator();
  });

  const rawCall = (headers: Record<string, string>, body = '{}') => fetch(`${emu.endpoint}/`, { method: 'POST', headers, body });

  it('refuses an unsigned request as AWS does', async () => {
    const response = await rawCall({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Lightsail_20161128.GetRegions' });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(((await response.json()) as { __type: string }).__type).toMatch(/#MissingAuthenticationTokenException$/);
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await rawCall({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Lightsail_20161128.GetRegions',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/lightsail/aws4_request',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toMatch(/#IncompleteSignatureException$/);
    expect(body.message).toContain("requires 'Signature'");
  });

  it('refuses an unknown key and a wrong secret, and can be told to accept any key', async () => {
    const unknown = await sdkFailure(client(emu, 'us-east-1', { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }).send(new GetRegionsCommand({})));
    expect(unknown.name).toBe('UnrecognizedClientException');
    const wrong = await sdkFailure(
      client(emu, 'us-east-1', { accessKeyId: SANDBOX_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' }).send(new GetRegionsCommand({})),
    );
    expect(wrong.name).toBe('InvalidSignatureException');
    expect(wrong.message).toMatch(/signature we calculated does not match/);
    const open = await emulator({ acceptAnyCredentials: true });
    expect((await client(open, 'us-east-1', { accessKeyId: 'AKIAANYONE', secretAccessKey: 'x' }).send(new GetRegionsCommand({}))).regions?.length).toBeGreaterThan(10);
  });

  it('takes the region from the signature and refuses one Lightsail is not in', async () => {
    const error = await sdkFailure(client(emu, 'mars-north-1').send(new GetRegionsCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toContain('mars-north-1');
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const url = new URL(emu.endpoint);
    const headers = signRequest(
      {
        method: 'POST',
        url: '/',
        host: url.host,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Lightsail_20161128.LaunchRocket' },
        body: '{}',
      },
      SANDBOX_CREDENTIALS,
      'us-east-1',
    );
    const { host: _host, ...sendable } = headers;
    const response = await rawCall(sendable);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toMatch(/#UnknownOperationException$/);
  });

  it('serves the control endpoint: health, ip, state, clock', async () => {
    const health = (await (await fetch(`${emu.endpoint}/_emulator/health`)).json()) as { status: string; endpoint: string };
    expect(health).toMatchObject({ status: 'ok', endpoint: emu.endpoint });
    expect((await (await fetch(`${emu.endpoint}/_emulator/ip`)).text()).trim()).toBe('127.0.0.1');
    const before = emu.now();
    await fetch(`${emu.endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 3600 }) });
    expect(emu.now() - before).toBeGreaterThanOrEqual(3600_000);
    await create(client(emu), 'counted');
    const state = (await (await fetch(`${emu.endpoint}/_emulator/state`)).json()) as { regions: Record<string, { instances: number }> };
    expect(state.regions['us-east-1']?.instances).toBe(1);
    const billing = (await (await fetch(`${emu.endpoint}/_emulator/billing`)).json()) as { totalUsd: number };
    expect(billing.totalUsd).toBe(0);
    expect((await (await fetch(`${emu.endpoint}/_emulator/ssh-ca`)).text())).toMatch(/^ssh-rsa AAAA/);
  });

  it('will not listen beyond loopback unless told to', async () => {
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('runs faster with timeScale', async () => {
    const fast = await emulator({ timeScale: 1000 });
    const lightsail = client(fast);
    await create(lightsail, 'quick');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await instance(lightsail, 'quick')).state?.name).toBe('running');
  });
});
