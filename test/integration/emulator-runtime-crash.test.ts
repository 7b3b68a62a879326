import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateInstancesCommand, GetInstanceStateCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchScript } from '../../src/core/provision/launch-script.js';
import { hashPassword } from '../../src/core/secrets/password.js';
import { SANDBOX_CREDENTIALS, startEmulator, type InstanceEndpoints, type RunningEmulator } from '../../src/emulator/index.js';
import { codeServerBin, isAlive, until } from '../support/code-server-bin.js';

const EMULATOR = fileURLToPath(new URL('../../src/emulator/index.ts', import.meta.url));
const REGION = 'us-east-1';
const QUICK = { create: 300, start: 300, stop: 300, reboot: 300, delete: 300 };

const published = (endpoint: string, name: string) =>
  until(`${name}'s endpoints`, async () => {
    const response = await fetch(`${endpoint}/_emulator/instances/${REGION}/${name}/endpoints`);
    return response.status === 200 ? ((await response.json()) as InstanceEndpoints) : undefined;
  });

describe('an emulator that crashed with instances running', () => {
  let work: string;
  let codeServer: string;
  let crashed: ChildProcess | undefined;
  let restarted: RunningEmulator | undefined;

  beforeAll(async () => {
    codeServer = codeServerBin();
    work = await mkdtemp(join(tmpdir(), 'porthole-runtime-crash-'));
  });

  afterAll(async () => {
    crashed?.kill('SIGKILL');
    await restarted?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('leaves no stray sshd or code-server once it starts again, and brings the running instance back', async () => {
    const options = { stateFile: join(work, 'state.json'), durations: QUICK, instanceRuntime: { codeServer, dir: join(work, 'instances') } };
    // The first emulator runs in a process of its own, so it can die the way a killed app does: no close, no clean-up.
    crashed = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `const { startEmulator } = await import(${JSON.stringify(EMULATOR)}); const e = await startEmulator(${JSON.stringify(options)}); console.log(e.endpoint);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      crashed!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      crashed!.once('exit', (code) => reject(new Error(`the emulator process exited with ${code}`)));
    });
    const lightsail = new LightsailClient({ region: REGION, endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
    const { script } = buildLaunchScript({ passwordHash: await hashPassword('crash-password'), accessMode: 'tunnel', idleTimeoutMinutes: 60 });
    await lightsail.send(new CreateInstancesCommand({ instanceNames: ['crash-demo'], availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', userData: script }));
    await until('running', async () => ((await lightsail.send(new GetInstanceStateCommand({ instanceName: 'crash-demo' }))).state?.name === 'running' ? true : undefined));
    await published(endpoint, 'crash-demo');
    const instanceDir = join(work, 'instances', REGION, 'crash-demo');
    const pids = await Promise.all(['sshd.pid.own', 'code-server.pid'].map(async (file) => Number(await readFile(join(instanceDir, file), 'utf8'))));

    crashed.kill('SIGKILL');
    await new Promise((resolve) => crashed!.once('exit', resolve));
    crashed = undefined;
    // Nothing took them down: this is what the next start has to clean up.
    expect(pids.every(isAlive)).toBe(true);

    restarted = await startEmulator(options);
    expect(pids.some(isAlive)).toBe(false);
    const after = await published(restarted.endpoint, 'crash-demo');
    const health = (await (await fetch(`http://127.0.0.1:${after.codeServer.port}/healthz`)).json()) as { status: string };
    expect(['alive', 'expired']).toContain(health.status);
    const newPids = await Promise.all(['sshd.pid.own', 'code-server.pid'].map(async (file) => Number(await readFile(join(instanceDir, file), 'utf8'))));
    expect(newPids.every(isAlive)).toBe(true);
    expect(newPids).not.toEqual(pids);

    await restarted.close();
    restarted = undefined;
    expect(newPids.some(isAlive)).toBe(false);
  }, 90_000);
});
