import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AllocateStaticIpCommand,
  AttachStaticIpCommand,
  CloseInstancePublicPortsCommand,
  CreateInstanceSnapshotCommand,
  CreateInstancesCommand,
  CreateInstancesFromSnapshotCommand,
  DeleteInstanceCommand,
  DeleteInstanceSnapshotCommand,
  DetachStaticIpCommand,
  GetBlueprintsCommand,
  GetBundlesCommand,
  GetInstanceAccessDetailsCommand,
  GetInstanceCommand,
  GetInstanceMetricDataCommand,
  GetInstancePortStatesCommand,
  GetInstanceSnapshotCommand,
  GetInstanceSnapshotsCommand,
  GetInstanceStateCommand,
  GetInstancesCommand,
  GetOperationCommand,
  GetOperationsCommand,
  GetRegionsCommand,
  GetStaticIpCommand,
  GetStaticIpsCommand,
  InvalidInputException,
  type LightsailClient,
  NotFoundException,
  OpenInstancePublicPortsCommand,
  PutInstancePublicPortsCommand,
  RebootInstanceCommand,
  ReleaseStaticIpCommand,
  StartInstanceCommand,
  StopInstanceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lightsail';
import { beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure } from '../support/sdk-failure.js';
import { createInstance as create, emulatorsForSuite, instanceNamed as instance, sdkClient as client } from '../support/emulator-sdk.js';
import { type RunningEmulator } from '../../src/emulator/index.js';

const run = promisify(execFile);
const MINUTE = 60_000;
const emulator = emulatorsForSuite();

describe('catalogue', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await emulator();
  });

  it('lists Lightsail regions, with zones only when asked', async () => {
    const lightsail = client(emu);
    const bare = await lightsail.send(new GetRegionsCommand({}));
    expect(bare.regions?.map((r) => r.name)).toContain('eu-central-1');
    expect(bare.regions?.[0]?.availabilityZones).toEqual([]);
    const withZones = await lightsail.send(new GetRegionsCommand({ includeAvailabilityZones: true }));
    const virginia = withZones.regions?.find((r) => r.name === 'us-east-1');
    expect(virginia?.displayName).toBe('Virginia');
    expect(virginia?.availabilityZones?.map((z) => z.zoneName)).toContain('us-east-1a');
  });

  it('sells the Linux bundles at their list prices', async () => {
    const { bundles } = await client(emu).send(new GetBundlesCommand({}));
    expect(bundles?.map((b) => [b.bundleId, b.price])).toEqual([
      ['nano_3_0', 5],
      ['micro_3_0', 7],
      ['small_3_0', 12],
      ['medium_3_0', 24],
      ['large_3_0', 44],
      ['xlarge_3_0', 84],
      ['2xlarge_3_0', 164],
    ]);
    expect(bundles?.[0]).toMatchObject({ cpuCount: 2, ramSizeInGb: 0.5, diskSizeInGb: 20, isActive: true, supportedPlatforms: ['LINUX_UNIX'] });
  });

  it('offers the four blueprints', async () => {
    const { blueprints } = await client(emu).send(new GetBlueprintsCommand({}));
    expect(blueprints?.map((b) => b.blueprintId).sort()).toEqual(['amazon_linux_2023', 'debian_12', 'ubuntu_22_04', 'ubuntu_24_04']);
    expect(blueprints?.every((b) => b.platform === 'LINUX_UNIX' && b.type === 'os')).toBe(true);
  });
});

describe('instances', () => {
  let emu: RunningEmulator;
  let lightsail: LightsailClient;
  beforeAll(async () => {
    emu = await emulator();
    lightsail = client(emu);
  });

  it('goes pending -> running, its operation Started -> Succeeded, with times as Dates', async () => {
    const { operations } = await create(lightsail, 'life', { userData: '#!/bin/sh\necho hello' });
    const op = operations?.[0];
    expect(op).toMatchObject({ resourceName: 'life', resourceType: 'Instance', operationType: 'CreateInstance', status: 'Started', isTerminal: false });
    expect(op?.createdAt).toBeInstanceOf(Date);
    const pending = await instance(lightsail, 'life');
    expect(pending.state).toEqual({ code: 0, name: 'pending' });
    expect(pending).toMatchObject({ blueprintId: 'ubuntu_24_04', bundleId: 'nano_3_0', resourceType: 'Instance', username: 'ubuntu', isStaticIp: false });
    expect(pending.location).toEqual({ availabilityZone: 'us-east-1a', regionName: 'us-east-1' });
    expect(pending.arn).toMatch(/^arn:aws:lightsail:us-east-1:\d{12}:Instance\//);
    expect(pending.hardware?.disks?.[0]?.sizeInGb).toBe(20);
    expect(pending.networking?.ports?.map((p) => p.fromPort)).toEqual([22, 80]);
    expect(emu.userData('life')).toBe('#!/bin/sh\necho hello');
    expect(JSON.stringify(pending)).not.toContain('echo hello');

    emu.advance(MINUTE);
    expect((await lightsail.send(new GetInstanceStateCommand({ instanceName: 'life' }))).state).toEqual({ code: 16, name: 'running' });
    const done = await lightsail.send(new GetOperationCommand({ operationId: op?.id }));
    expect(done.operation).toMatchObject({ status: 'Succeeded', isTerminal: true });
    expect(done.operation?.statusChangedAt?.getTime()).toBeGreaterThan(op?.createdAt?.getTime() ?? Infinity);
  });

  it('stops without its public IP, and starts again with a new one', async () => {
    await create(lightsail, 'cycle');
    emu.advance(MINUTE);
    const firstIp = (await instance(lightsail, 'cycle')).publicIpAddress;
    expect(firstIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await lightsail.send(new StopInstanceCommand({ instanceName: 'cycle' }));
    expect((await instance(lightsail, 'cycle')).state?.name).toBe('stopping');
    emu.advance(MINUTE);
    const stopped = await instance(lightsail, 'cycle');
    expect(stopped.state).toEqual({ code: 80, name: 'stopped' });
    expect(stopped.publicIpAddress).toBeUndefined();
    await lightsail.send(new StartInstanceCommand({ instanceName: 'cycle' }));
    emu.advance(MINUTE);
    const again = await instance(lightsail, 'cycle');
    expect(again.state?.name).toBe('running');
    expect(again.publicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(again.publicIpAddress).not.toBe(firstIp);
  });

  it('reboots and force-stops', async () => {
    await create(lightsail, 'reboot-me');
    emu.advance(MINUTE);
    const reboot = await lightsail.send(new RebootInstanceCommand({ instanceName: 'reboot-me' }));
    expect(reboot.operations?.[0]).toMatchObject({ operationType: 'RebootInstance', status: 'Started' });
    emu.advance(MINUTE);
    await lightsail.send(new StopInstanceCommand({ instanceName: 'reboot-me', force: true }));
    emu.advance(10_000);
    expect((await instance(lightsail, 'reboot-me')).state?.name).toBe('stopped');
  });

  it('deletes through shutting-down, then the name is gone', async () => {
    await create(lightsail, 'doomed');
    emu.advance(MINUTE);
    const { operations } = await lightsail.send(new DeleteInstanceCommand({ instanceName: 'doomed' }));
    expect(operations?.[0]?.operationType).toBe('DeleteInstance');
    expect((await instance(lightsail, 'doomed')).state).toEqual({ code: 32, name: 'shutting-down' });
    emu.advance(MINUTE);
    const gone = await sdkFailure(lightsail.send(new GetInstanceCommand({ instanceName: 'doomed' })));
    expect(gone).toBeInstanceOf(NotFoundException);
    expect(gone.message).toContain('doomed');
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect((gone as NotFoundException).code).toBe('DoesNotExist');
  });

  it('refuses bad names, taken names, and unknown bundles, blueprints and zones, naming the culprit', async () => {
    const bad = await sdkFailure(create(lightsail, '-dash'));
    expect(bad).toBeInstanceOf(InvalidInputException);
    expect(bad.message).toContain("'-dash'");
    expect((await sdkFailure(create(lightsail, 'x'))).message).toMatch(/between 2 and 255/);
    expect((await sdkFailure(create(lightsail, 'has space'))).message).toMatch(/not allowed/);
    expect((await sdkFailure(create(lightsail, 'a'.repeat(256)))).message).toMatch(/between 2 and 255/);
    await create(lightsail, 'taken');
    const taken = await sdkFailure(create(lightsail, 'taken'));
    expect(taken).toBeInstanceOf(InvalidInputException);
    expect(taken.message).toBe('Some names are already in use: taken');
    expect((await sdkFailure(create(lightsail, 'b1', { bundleId: 'huge_9_0' }))).message).toContain("'huge_9_0'");
    expect((await sdkFailure(create(lightsail, 'b2', { blueprintId: 'windows_2022' }))).message).toContain("'windows_2022'");
    const zone = await sdkFailure(
      lightsail.send(new CreateInstancesCommand({ instanceNames: ['z1'], availabilityZone: 'eu-west-1a', blueprintId: 'debian_12', bundleId: 'nano_3_0' })),
    );
    expect(zone).toBeInstanceOf(InvalidInputException);
    expect(zone.message).toContain('eu-west-1a');
  });

  it('keeps names per region: the same name can live in two regions', async () => {
    await create(lightsail, 'twin');
    const frankfurt = client(emu, 'eu-central-1');
    await frankfurt.send(
      new CreateInstancesCommand({ instanceNames: ['twin'], availabilityZone: 'eu-central-1a', blueprintId: 'debian_12', bundleId: 'micro_3_0' }),
    );
    expect((await instance(frankfurt, 'twin')).username).toBe('admin');
    expect((await instance(frankfurt, 'twin')).location?.regionName).toBe('eu-central-1');
  });

  it('refuses changes that the state does not allow', async () => {
    await create(lightsail, 'stateful');
    const early = await sdkFailure(lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'stateful', instanceSnapshotName: 'too-soon' })));
    expect(early).toBeInstanceOf(InvalidInputException);
    expect(early.message).toMatch(/pending state/);
    emu.advance(MINUTE);
    const startRunning = await sdkFailure(lightsail.send(new StartInstanceCommand({ instanceName: 'stateful' })));
    expect(startRunning).toBeInstanceOf(InvalidInputException);
    expect(startRunning.message).toMatch(/'stateful' is in the running state/);
    await lightsail.send(new StopInstanceCommand({ instanceName: 'stateful' }));
    emu.advance(MINUTE);
    const stopStopped = await sdkFailure(lightsail.send(new StopInstanceCommand({ instanceName: 'stateful' })));
    expect(stopStopped.message).toMatch(/stopped state/);
    const missing = await sdkFailure(lightsail.send(new DeleteInstanceCommand({ instanceName: 'never-was' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing.message).toContain('never-was');
  });

  it('pages GetInstances and GetOperations with pageToken/nextPageToken', async () => {
    const small = await emulator({ pageSize: 3 });
    const paged = client(small);
    const names = Array.from({ length: 8 }, (_, i) => `p${i}`);
    await paged.send(new CreateInstancesCommand({ instanceNames: names, availabilityZone: 'us-east-1b', blueprintId: 'ubuntu_22_04', bundleId: 'nano_3_0' }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await paged.send(new GetInstancesCommand(token ? { pageToken: token } : {}));
      seen.push(...(page.instances ?? []).map((i) => i.name ?? ''));
      token = page.nextPageToken;
      pages += 1;
    } while (token);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
    const first = await paged.send(new GetOperationsCommand({}));
    expect(first.operations).toHaveLength(3);
    expect(first.operations?.[0]?.resourceName).toBe('p7');
    const second = await paged.send(new GetOperationsCommand({ pageToken: first.nextPageToken }));
    expect(second.operations?.[0]?.resourceName).toBe('p4');
    const badToken = await sdkFailure(paged.send(new GetInstancesCommand({ pageToken: 'garbage!' })));
    expect(badToken).toBeInstanceOf(InvalidInputException);
  });
});

describe('static IPs and ports', () => {
  let emu: RunningEmulator;
  let lightsail: LightsailClient;
  beforeAll(async () => {
    emu = await emulator();
    lightsail = client(emu);
    await create(lightsail, 'web');
    emu.advance(MINUTE);
  });

  it('allocates, attaches (two operations), keeps the address across a stop, detaches and releases', async () => {
    const allocated = await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'web-ip' }));
    expect(allocated.operations?.[0]).toMatchObject({ operationType: 'AllocateStaticIp', resourceType: 'StaticIp', status: 'Succeeded' });
    const { staticIp } = await lightsail.send(new GetStaticIpCommand({ staticIpName: 'web-ip' }));
    expect(staticIp).toMatchObject({ isAttached: false, resourceType: 'StaticIp' });
    const attached = await lightsail.send(new AttachStaticIpCommand({ staticIpName: 'web-ip', instanceName: 'web' }));
    expect(attached.operations?.map((o) => o.resourceType)).toEqual(['StaticIp', 'Instance']);
    const withIp = await instance(lightsail, 'web');
    expect(withIp.isStaticIp).toBe(true);
    expect(withIp.publicIpAddress).toBe(staticIp?.ipAddress);

    await lightsail.send(new StopInstanceCommand({ instanceName: 'web' }));
    emu.advance(MINUTE);
    expect((await instance(lightsail, 'web')).publicIpAddress).toBe(staticIp?.ipAddress);
    await lightsail.send(new StartInstanceCommand({ instanceName: 'web' }));
    emu.advance(MINUTE);
    expect((await instance(lightsail, 'web')).publicIpAddress).toBe(staticIp?.ipAddress);

    const again = await sdkFailure(lightsail.send(new AttachStaticIpCommand({ staticIpName: 'web-ip', instanceName: 'web' })));
    expect(again).toBeInstanceOf(InvalidInputException);
    expect(again.message).toMatch(/already attached/);

    expect((await lightsail.send(new GetStaticIpsCommand({}))).staticIps?.map((s) => s.attachedTo)).toEqual(['web']);
    await lightsail.send(new DetachStaticIpCommand({ staticIpName: 'web-ip' }));
    const detached = await instance(lightsail, 'web');
    expect(detached.isStaticIp).toBe(false);
    expect(detached.publicIpAddress).not.toBe(staticIp?.ipAddress);
    const notAttached = await sdkFailure(lightsail.send(new DetachStaticIpCommand({ staticIpName: 'web-ip' })));
    expect(notAttached.message).toMatch(/not attached/);
    await lightsail.send(new ReleaseStaticIpCommand({ staticIpName: 'web-ip' }));
    const released = await sdkFailure(lightsail.send(new GetStaticIpCommand({ staticIpName: 'web-ip' })));
    expect(released).toBeInstanceOf(NotFoundException);
    expect(released.message).toContain('web-ip');
  });

  it('puts, opens and closes public ports, each answering one operation', async () => {
    const put = await lightsail.send(
      new PutInstancePublicPortsCommand({ instanceName: 'web', portInfos: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrs: ['203.0.113.7/32'] }] }),
    );
    expect(put.operation).toMatchObject({ operationType: 'PutInstancePublicPorts', status: 'Succeeded' });
    const opened = await lightsail.send(new OpenInstancePublicPortsCommand({ instanceName: 'web', portInfo: { fromPort: 443, toPort: 443, protocol: 'tcp' } }));
    expect(opened.operation?.operationType).toBe('OpenInstancePublicPorts');
    let states = (await lightsail.send(new GetInstancePortStatesCommand({ instanceName: 'web' }))).portStates;
    expect(states).toEqual([
      { fromPort: 22, toPort: 22, protocol: 'tcp', state: 'open', cidrs: ['203.0.113.7/32'], ipv6Cidrs: [], cidrListAliases: [] },
      { fromPort: 443, toPort: 443, protocol: 'tcp', state: 'open', cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], cidrListAliases: [] },
    ]);
    const closed = await lightsail.send(new CloseInstancePublicPortsCommand({ instanceName: 'web', portInfo: { fromPort: 443, toPort: 443, protocol: 'tcp' } }));
    expect(closed.operation?.operationType).toBe('CloseInstancePublicPorts');
    states = (await lightsail.send(new GetInstancePortStatesCommand({ instanceName: 'web' }))).portStates;
    expect(states?.map((s) => s.fromPort)).toEqual([22]);
    expect((await instance(lightsail, 'web')).networking?.ports?.[0]?.cidrs).toEqual(['203.0.113.7/32']);
    const badCidr = await sdkFailure(
      lightsail.send(new OpenInstancePublicPortsCommand({ instanceName: 'web', portInfo: { fromPort: 1, toPort: 2, protocol: 'tcp', cidrs: ['1.2.3/8'] } })),
    );
    expect(badCidr).toBeInstanceOf(InvalidInputException);
    expect(badCidr.message).toContain('1.2.3/8');
  });

  it('tags and untags an instance', async () => {
    const tagged = await lightsail.send(new TagResourceCommand({ resourceName: 'web', tags: [{ key: 'porthole:workspace', value: 'w1' }, { key: 'team' }] }));
    expect(tagged.operations?.[0]?.operationType).toBe('TagResource');
    expect((await instance(lightsail, 'web')).tags).toEqual([{ key: 'porthole:workspace', value: 'w1' }, { key: 'team' }]);
    await lightsail.send(new UntagResourceCommand({ resourceName: 'web', tagKeys: ['team'] }));
    expect((await instance(lightsail, 'web')).tags).toEqual([{ key: 'porthole:workspace', value: 'w1' }]);
    expect(await sdkFailure(lightsail.send(new TagResourceCommand({ resourceName: 'nobody', tags: [{ key: 'a' }] })))).toBeInstanceOf(NotFoundException);
  });

  it('serves metric data for the time the instance existed', async () => {
    const now = emu.now();
    const { metricData, metricName } = await lightsail.send(
      new GetInstanceMetricDataCommand({
        instanceName: 'web',
        metricName: 'CPUUtilization',
        period: 60,
        startTime: new Date(now - 10 * MINUTE),
        endTime: new Date(now),
        unit: 'Percent',
        statistics: ['Average', 'Maximum'],
      }),
    );
    expect(metricName).toBe('CPUUtilization');
    expect(metricData?.length).toBeGreaterThan(0);
    expect(metricData?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(metricData?.every((d) => (d.average ?? -1) >= 0 && (d.maximum ?? 101) <= 100)).toBe(true);
  });
});

describe('snapshots and access details', () => {
  let emu: RunningEmulator;
  let lightsail: LightsailClient;
  beforeAll(async () => {
    emu = await emulator();
    lightsail = client(emu);
    await create(lightsail, 'src', { bundleId: 'micro_3_0' });
    emu.advance(MINUTE);
  });

  it('snapshots over time (two operations), launches from the snapshot, then deletes it', async () => {
    const made = await lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'src', instanceSnapshotName: 'src-snap' }));
    expect(made.operations?.map((o) => [o.resourceType, o.operationType])).toEqual([
      ['InstanceSnapshot', 'CreateInstanceSnapshot'],
      ['Instance', 'CreateInstanceSnapshot'],
    ]);
    const pending = (await lightsail.send(new GetInstanceSnapshotCommand({ instanceSnapshotName: 'src-snap' }))).instanceSnapshot;
    expect(pending).toMatchObject({ state: 'pending', sizeInGb: 40, fromInstanceName: 'src', fromBundleId: 'micro_3_0', fromBlueprintId: 'ubuntu_24_04' });
    const tooSoon = await sdkFailure(
      lightsail.send(new CreateInstancesFromSnapshotCommand({ instanceNames: ['copy'], availabilityZone: 'us-east-1a', instanceSnapshotName: 'src-snap', bundleId: 'micro_3_0' })),
    );
    expect(tooSoon.message).toMatch(/pending state/);
    emu.advance(2 * MINUTE);
    expect((await lightsail.send(new GetInstanceSnapshotsCommand({}))).instanceSnapshots?.map((s) => s.state)).toEqual(['available']);
    const opStatus = await lightsail.send(new GetOperationCommand({ operationId: made.operations?.[0]?.id }));
    expect(opStatus.operation?.status).toBe('Succeeded');

    const small = await sdkFailure(
      lightsail.send(new CreateInstancesFromSnapshotCommand({ instanceNames: ['copy'], availabilityZone: 'us-east-1a', instanceSnapshotName: 'src-snap', bundleId: 'nano_3_0' })),
    );
    expect(small).toBeInstanceOf(InvalidInputException);
    expect(small.message).toMatch(/20 GB disk, smaller than the 40 GB snapshot/);
    const copy = await lightsail.send(
      new CreateInstancesFromSnapshotCommand({ instanceNames: ['copy'], availabilityZone: 'us-east-1c', instanceSnapshotName: 'src-snap', bundleId: 'small_3_0' }),
    );
    expect(copy.operations?.[0]?.operationType).toBe('CreateInstancesFromSnapshot');
    emu.advance(MINUTE);
    expect(await instance(lightsail, 'copy')).toMatchObject({ blueprintId: 'ubuntu_24_04', bundleId: 'small_3_0', state: { name: 'running' } });
    await lightsail.send(new DeleteInstanceSnapshotCommand({ instanceSnapshotName: 'src-snap' }));
    expect(await sdkFailure(lightsail.send(new GetInstanceSnapshotCommand({ instanceSnapshotName: 'src-snap' })))).toBeInstanceOf(NotFoundException);
  });

  it('grants SSH access with a CA-signed user certificate and stable host keys', async () => {
    const { accessDetails } = await lightsail.send(new GetInstanceAccessDetailsCommand({ instanceName: 'src', protocol: 'ssh' }));
    expect(accessDetails).toMatchObject({ protocol: 'ssh', username: 'ubuntu', instanceName: 'src', ipAddress: (await instance(lightsail, 'src')).publicIpAddress });
    expect(accessDetails?.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(accessDetails?.certKey).toMatch(/^ssh-rsa-cert-v01@openssh\.com /);
    const minutesLeft = ((accessDetails?.expiresAt?.getTime() ?? 0) - Date.now()) / MINUTE;
    expect(minutesLeft).toBeGreaterThan(9);
    expect(minutesLeft).toBeLessThanOrEqual(10);
    expect(accessDetails?.hostKeys?.map((k) => k.algorithm)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(accessDetails?.hostKeys?.[0]?.fingerprintSHA256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(accessDetails?.hostKeys?.[0]?.witnessedAt).toBeInstanceOf(Date);

    const dir = await mkdtemp(join(tmpdir(), 'emu-ssh-'));
    try {
      await writeFile(join(dir, 'key-cert.pub'), `${accessDetails?.certKey}\n`);
      await writeFile(join(dir, 'ca.pub'), await emu.sshCaPublicKey());
      const { stdout } = await run('ssh-keygen', ['-L', '-f', join(dir, 'key-cert.pub')]);
      expect(stdout).toMatch(/user certificate/);
      expect(stdout).toMatch(/Principals:\s+ubuntu/);
      const ca = await run('ssh-keygen', ['-l', '-f', join(dir, 'ca.pub')]);
      expect(stdout).toContain(ca.stdout.split(' ')[1]);
      const [ed] = await emu.hostKeys('src');
      await writeFile(join(dir, 'host'), ed?.privateKeyPem ?? '', { mode: 0o600 });
      const derived = await run('ssh-keygen', ['-y', '-f', join(dir, 'host')]);
      expect(derived.stdout.trim()).toBe(`ssh-ed25519 ${accessDetails?.hostKeys?.[0]?.publicKey}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const second = await lightsail.send(new GetInstanceAccessDetailsCommand({ instanceName: 'src' }));
    expect(second.accessDetails?.hostKeys).toEqual(accessDetails?.hostKeys);
    expect(second.accessDetails?.privateKey).not.toBe(accessDetails?.privateKey);
  });

  it('grants access only to a running instance', async () => {
    await create(lightsail, 'asleep', { blueprintId: 'amazon_linux_2023' });
    const refused = await sdkFailure(lightsail.send(new GetInstanceAccessDetailsCommand({ instanceName: 'asleep' })));
    expect(refused).toBeInstanceOf(InvalidInputException);
    expect(refused.message).toMatch(/'asleep' is in the pending state/);
    emu.advance(MINUTE);
    expect((await lightsail.send(new GetInstanceAccessDetailsCommand({ instanceName: 'asleep' }))).accessDetails?.username).toBe('ec2-user');
  });
});
