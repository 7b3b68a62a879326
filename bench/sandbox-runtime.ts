import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateInstancesCommand, GetInstanceStateCommand, LightsailClient, StartInstanceCommand, StopInstanceCommand } from '@aws-sdk/client-lightsail';
import { buildLaunchScript } from '../src/core/provision/launch-script.js';
import { hashPassword } from '../src/core/secrets/password.js';
import { SANDBOX_CREDENTIALS, startEmulator } from '../src/emulator/index.js';
import { codeServerHome } from '../src/emulator/runtime/code-server-home.js';
import { freeLoopbackPort, markedProcesses, spawnMarked, terminate } from '../src/emulator/runtime/processes.js';
import { median, mib, ms, report } from './support/stats.js';

/**
 * Sandbox instances that run: how long a started instance takes until its
 * sshd and code-server answer on the endpoints route, against starting the
 * same code-server by hand with the same config (the baseline, timed in the
 * same run, alternately); how long a stop takes to end them; what an idle
 * running instance costs in memory.
 */
const CYCLES = 5;
const INSTALLER = fileURLToPath(new URL('../scripts/install-code-server.mjs', import.meta.url));
const installed = spawnSync(process.execPath, [INSTALLER, '--json'], { encoding: 'utf8' });
if (installed.status !== 0) throw new Error(`code-server is not installed: ${installed.stderr}`);
const codeServer = (JSON.parse(installed.stdout.trim().split('\n').at(-1)!) as { bin: string }).bin;

const work = await mkdtemp(join(tmpdir(), 'porthole-bench-runtime-'));
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

const { script } = buildLaunchScript({ passwordHash: await hashPassword('benchmark only'), accessMode: 'tunnel', idleTimeoutMinutes: 60 });
const config = /<<'PORTHOLE_CONFIG'\n([\s\S]*?)\nPORTHOLE_CONFIG\n/.exec(script)![1]!;

/** The baseline: code-server alone, as a person would start it with the launch script's config on a free port. */
async function codeServerByHand(round: number): Promise<number> {
  const dir = join(work, `by-hand-${round}`);
  await mkdir(join(dir, 'ws'), { recursive: true });
  const port = await freeLoopbackPort();
  await writeFile(join(dir, 'config.yaml'), config.replace('127.0.0.1:8080', `127.0.0.1:${port}`));
  const started = performance.now();
  spawnMarked(codeServer, ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext'), join(dir, 'ws')], {
    dir,
    env: { ...process.env, ...codeServerHome(dir) },
  });
  while (!(await portOpen(port))) await sleep(10);
  const elapsed = performance.now() - started;
  await terminate(await markedProcesses(dir, []));
  return elapsed;
}

const emulator = await startEmulator({
  stateFile: join(work, 'state.json'),
  durations: { create: 1, start: 1, stop: 1, delete: 1 },
  instanceRuntime: { codeServer, dir: join(work, 'instances') },
});
const lightsail = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
const route = `${emulator.endpoint}/_emulator/instances/us-east-1/bench/endpoints`;
const state = async () => (await lightsail.send(new GetInstanceStateCommand({ instanceName: 'bench' }))).state?.name;
const published = async () => {
  for (;;) {
    const response = await fetch(route);
    await response.arrayBuffer();
    if (response.status === 200) return;
    await sleep(10);
  }
};

await lightsail.send(new CreateInstancesCommand({ instanceNames: ['bench'], availabilityZone: 'us-east-1a', blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', userData: script }));
await published();
// Idle memory of one running instance: every process of its folder, code-server's workers included.
await sleep(2_000);
const instanceDir = join(work, 'instances', 'us-east-1', 'bench');
let rss = 0;
for (const pid of await markedProcesses(instanceDir)) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  rss += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const byHand: number[] = [];
const toPublished: number[] = [];
const toStopped: number[] = [];
for (let round = 0; round < CYCLES; round++) {
  byHand.push(await codeServerByHand(round));
  const stopAt = performance.now();
  await lightsail.send(new StopInstanceCommand({ instanceName: 'bench' }));
  while ((await state()) !== 'stopped' || (await markedProcesses(instanceDir)).length > 0) await sleep(10);
  toStopped.push(performance.now() - stopAt);
  const startAt = performance.now();
  await lightsail.send(new StartInstanceCommand({ instanceName: 'bench' }));
  await published();
  toPublished.push(performance.now() - startAt);
}
await emulator.close();
await rm(work, { recursive: true, force: true });

report(`sandbox instance runtime, median of ${CYCLES} cycles (emulated start/stop durations 1 ms)`, {
  'code-server started by hand, to listening (baseline)': ms(median(byHand)),
  'StartInstance to endpoints published (sshd + code-server listening)': ms(median(toPublished)),
  'published / by hand': `${(median(toPublished) / median(byHand)).toFixed(2)}x`,
  'StopInstance to every process gone': ms(median(toStopped)),
  'idle running instance, resident memory of all its processes': mib(rss),
});
