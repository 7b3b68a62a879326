import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';

/**
 * The AWS CLI is a second, independent client (Python, botocore): if it can
 * drive a full workspace cycle against the emulator, the wire format is not
 * merely shaped to fit the JavaScript SDK.
 */
const AWS = '/usr/bin/aws';
const haveCli = existsSync(AWS);

/** The CLI's JSON output; its shape is exactly what the assertions check, so it is left untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type CliJson = Record<string, any>;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: CliJson;
}

let home: string;
const emulators: RunningEmulator[] = [];

/** Each test has its own emulator, so the tests can run side by side and one's faults never reach the other. */
async function emulator(): Promise<RunningEmulator> {
  // A thousand times faster: a create takes 45 ms, so each CLI round trip finds the change done.
  const emu = await startEmulator({ timeScale: 1000, seed: 3 });
  emulators.push(emu);
  return emu;
}

function aws(emu: RunningEmulator, args: string[], credentials: { accessKeyId: string; secretAccessKey: string } = SANDBOX_CREDENTIALS): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
  return new Promise((resolve) => {
    execFile(
      AWS,
      ['lightsail', ...args, '--endpoint-url', emu.endpoint, '--region', 'us-east-1', '--output', 'json'],
      { env, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: code === 0 && stdout.trim() ? (JSON.parse(stdout) as CliJson) : {} });
      },
    );
  });
}

async function ok(emu: RunningEmulator, args: string[]): Promise<CliJson> {
  const result = await aws(emu, args);
  if (result.code !== 0) throw new Error(`aws lightsail ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.json;
}

// Each CLI call starts a Python interpreter, which takes seconds on a loaded machine, and a test makes a score of them.
describe.skipIf(!haveCli).concurrent(`the AWS CLI against lightsail-local${haveCli ? '' : ` (skipped: ${AWS} is not installed)`}`, { timeout: 180_000 }, () => {
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'emu-cli-'));
  });

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('runs a workspace through create, stop, start, static IP, firewall, snapshot and delete', async () => {
    const emu = await emulator();
    const run = (args: string[]) => ok(emu, args);
    const created = await run([
      'create-instances',
      '--instance-names', 'cli-ws',
      '--availability-zone', 'us-east-1a',
      '--blueprint-id', 'ubuntu_24_04',
      '--bundle-id', 'small_3_0',
      '--user-data', '#!/bin/bash\necho ready',
      '--tags', 'key=porthole:workspace,value=cli-ws',
    ]);
    expect(created.operations[0]).toMatchObject({ resourceName: 'cli-ws', operationType: 'CreateInstance' });
    expect(created.operations[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await run(['get-instance-state', '--instance-name', 'cli-ws'])).state).toEqual({ code: 16, name: 'running' });

    await run(['stop-instance', '--instance-name', 'cli-ws']);
    const stopped = (await run(['get-instance', '--instance-name', 'cli-ws'])).instance;
    expect(stopped.state.name).toBe('stopped');
    expect(stopped.publicIpAddress).toBeUndefined();
    await run(['start-instance', '--instance-name', 'cli-ws']);
    await run(['allocate-static-ip', '--static-ip-name', 'cli-ip']);
    const attached = await run(['attach-static-ip', '--static-ip-name', 'cli-ip', '--instance-name', 'cli-ws']);
    expect(attached.operations).toHaveLength(2);

    const [{ instance }, { staticIp }, put] = await Promise.all([
      run(['get-instance', '--instance-name', 'cli-ws']),
      run(['get-static-ip', '--static-ip-name', 'cli-ip']),
      run(['put-instance-public-ports', '--instance-name', 'cli-ws', '--port-infos', 'fromPort=22,toPort=22,protocol=tcp,cidrs=198.51.100.4/32']),
    ]);
    expect(instance).toMatchObject({
      state: { name: 'running' },
      isStaticIp: true,
      publicIpAddress: staticIp.ipAddress,
      bundleId: 'small_3_0',
      tags: [{ key: 'porthole:workspace', value: 'cli-ws' }],
    });
    expect(put.operation.operationType).toBe('PutInstancePublicPorts');

    const [{ portStates }, access, snap] = await Promise.all([
      run(['get-instance-port-states', '--instance-name', 'cli-ws']),
      run(['get-instance-access-details', '--instance-name', 'cli-ws']),
      run(['create-instance-snapshot', '--instance-name', 'cli-ws', '--instance-snapshot-name', 'cli-snap']),
    ]);
    expect(portStates).toEqual([{ fromPort: 22, toPort: 22, protocol: 'tcp', state: 'open', cidrs: ['198.51.100.4/32'], ipv6Cidrs: [], cidrListAliases: [] }]);
    expect(access.accessDetails.certKey).toMatch(/^ssh-rsa-cert-v01@openssh\.com /);
    expect(access.accessDetails.username).toBe('ubuntu');
    expect(snap.operations).toHaveLength(2);
    expect((await run(['get-instance-snapshots'])).instanceSnapshots[0]).toMatchObject({ name: 'cli-snap', state: 'available', sizeInGb: 60 });

    await Promise.all([
      run(['delete-instance', '--instance-name', 'cli-ws']),
      run(['delete-instance-snapshot', '--instance-snapshot-name', 'cli-snap']),
    ]);
    const [gone] = await Promise.all([aws(emu, ['get-instance', '--instance-name', 'cli-ws']), run(['release-static-ip', '--static-ip-name', 'cli-ip'])]);
    expect(gone.code).toBe(254);
    expect(gone.stderr).toContain('(NotFoundException)');
  });

  it('reports each kind of error by its exception name, with a failing exit code', async () => {
    const emu = await emulator();
    const setUp = (async () => {
      await ok(emu, ['create-instances', '--instance-names', 'err-ws', '--availability-zone', 'us-east-1b', '--blueprint-id', 'debian_12', '--bundle-id', 'nano_3_0']);
      await ok(emu, ['allocate-static-ip', '--static-ip-name', 'err-ip']);
      await ok(emu, ['attach-static-ip', '--static-ip-name', 'err-ip', '--instance-name', 'err-ws']);
    })();
    const [missing, badName, unknownKey, wrongSecret] = await Promise.all([
      aws(emu, ['get-instance', '--instance-name', 'no-such-ws']),
      aws(emu, ['create-instances', '--instance-names', '_bad', '--availability-zone', 'us-east-1a', '--blueprint-id', 'debian_12', '--bundle-id', 'nano_3_0']),
      aws(emu, ['get-regions'], { accessKeyId: 'AKIANOTREAL000000000', secretAccessKey: 'nope' }),
      aws(emu, ['get-regions'], { accessKeyId: SANDBOX_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' }),
      setUp,
    ]);
    const [taken, wrongState, attachedTwice] = await Promise.all([
      aws(emu, ['create-instances', '--instance-names', 'err-ws', '--availability-zone', 'us-east-1a', '--blueprint-id', 'debian_12', '--bundle-id', 'nano_3_0']),
      aws(emu, ['start-instance', '--instance-name', 'err-ws']),
      aws(emu, ['attach-static-ip', '--static-ip-name', 'err-ip', '--instance-name', 'err-ws']),
    ]);
    const expectations: Array<[CliResult, string, RegExp]> = [
      [missing, 'NotFoundException', /The Instance does not exist: no-such-ws/],
      [badName, 'InvalidInputException', /'_bad' must start with a letter or a number/],
      [taken, 'InvalidInputException', /Some names are already in use: err-ws/],
      [wrongState, 'InvalidInputException', /'err-ws' is in the running state/],
      [attachedTwice, 'InvalidInputException', /already attached/],
      [unknownKey, 'UnrecognizedClientException', /security token included in the request is invalid/],
      [wrongSecret, 'InvalidSignatureException', /signature we calculated does not match/],
    ];
    for (const [result, exception, message] of expectations) {
      expect(result.code).toBe(254);
      expect(result.stderr).toContain(`(${exception})`);
      expect(result.stderr).toMatch(message);
    }

    emu.faults.set({ throttleRate: 1 });
    const throttled = await aws(emu, ['get-regions']);
    emu.faults.set({ throttleRate: 0, serverErrorRate: 1 });
    const broken = await aws(emu, ['get-regions']);
    emu.faults.clear();
    expect(throttled.stderr).toContain('(ThrottlingException)');
    expect(broken.stderr).toContain('(ServiceException)');
    expect([throttled.code, broken.code]).toEqual([254, 254]);
  });
});
