/**
 * Reading a workspace's logs, on a sandbox instance backed by a real sshd
 * and code-server on loopback. Prints the follow latency (a line appended to
 * the box's launch log until `porthole logs --follow`'s stream hands it
 * over, median) against plain `ssh tail -F` of the same file, and the
 * throughput of a 50 MB log read whole against plain `ssh cat` of it.
 *
 *   npx tsx bench/logs.ts
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnBox } from '../src/core/access/box-command.js';
import { sandboxEndpointResolver } from '../src/core/access/ssh-endpoint-resolver.js';
import { sshLoginOptions, writeSshLoginFiles } from '../src/core/access/ssh-login-files.js';
import { freshAccess, hostAlias } from '../src/core/access/ssh-tunnel.js';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { streamLogs } from '../src/core/logs/log-stream.js';
import { buildLaunchScript } from '../src/core/provision/launch-script.js';
import { hashPassword } from '../src/core/secrets/password.js';
import { SANDBOX_CREDENTIALS, startEmulator } from '../src/emulator/index.js';
import { codeServerSearchDirs, findCodeServer } from '../src/emulator/runtime/code-server-install.js';
import { median, ms, report } from './support/stats.js';

const REGION = 'us-east-1';
const NAME = 'bench-logs';
const FOLLOWED_LINES = 30;
const BIG_LOG_BYTES = 50 * 1024 * 1024;
const READS = 3;

const codeServer = findCodeServer(codeServerSearchDirs(join(tmpdir(), 'porthole-bench-none')));
if (!codeServer) {
  console.error('bench/logs needs code-server 4.100.3: run "node scripts/install-code-server.mjs" (or "porthole sandbox install") first.');
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'porthole-bench-logs-'));
const emulator = await startEmulator({ stateFile: join(work, 'state.json'), durations: { create: 200, start: 200, stop: 200, reboot: 200, delete: 200, snapshot: 200 }, instanceRuntime: { codeServer, provisionMs: 100 } });
const gateway = new SdkLightsailGateway({ region: REGION, credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint });
const deps = { gateway, resolver: sandboxEndpointResolver(emulator.endpoint) };
const target = { workspace: NAME, region: REGION };

try {
  const { userData } = buildLaunchScript({ passwordHash: await hashPassword('bench-logs-password'), accessMode: 'tunnel', idleTimeoutMinutes: 0 });
  await gateway.createInstances({ region: REGION, instanceNames: [NAME], workspace: NAME, bundleId: 'small_3_0', blueprintId: 'ubuntu_22_04', userData });
  await gateway.waitForInstanceState(REGION, NAME, 'running');
  // The box is this machine: its state folder is where ssh sessions are told it is.
  const stateDir = (await runOnBox(deps, target, 'echo "$PORTHOLE_STATE_DIR"')).trim();
  const launchLog = join(stateDir, 'launch.log');

  // Follow latency: Porthole's follow stream against plain ssh tail -F, each line appended on the box.
  let porthole: ((text: string) => void) | undefined;
  const stream = await streamLogs(deps, target, { sources: ['provision'], follow: true, lines: 0 }, (lines) => lines.forEach((line) => porthole?.(line.text)));
  const viaPorthole = await followLatencies(launchLog, (listener) => (porthole = listener));
  await stream.stop();
  const plain = await plainSsh('exec tail -n 0 -F "$PORTHOLE_STATE_DIR/launch.log"');
  const viaSsh = await followLatencies(launchLog, (listener) => plain.onLine(listener));
  plain.stop();
  report(`follow latency: a line appended to the box's launch log until it is shown (median of ${FOLLOWED_LINES})`, {
    'porthole logs --follow': ms(median(viaPorthole)),
    'plain ssh tail -F': ms(median(viaSsh)),
    'porthole / plain ssh': `${(median(viaPorthole) / median(viaSsh)).toFixed(2)}x`,
  });

  // Throughput: a 50 MB log read whole.
  const line = `${new Date().toISOString()} porthole: ${'x'.repeat(100)}\n`;
  await writeFile(launchLog, line.repeat(Math.ceil(BIG_LOG_BYTES / line.length)));
  const portholeReads: number[] = [];
  const sshReads: number[] = [];
  let bytes = 0;
  for (let i = 0; i < READS; i++) {
    let start = performance.now();
    let received = 0;
    const read = await streamLogs(deps, target, { sources: ['provision'], follow: false, lines: 'all' }, (lines) => lines.forEach((l) => (received += l.text.length + 1)));
    await read.done;
    portholeReads.push(performance.now() - start);
    bytes = received;
    start = performance.now();
    await plainSsh('exec cat "$PORTHOLE_STATE_DIR/launch.log"').then((run) => run.ended);
    sshReads.push(performance.now() - start);
  }
  const rate = (millis: number) => `${(bytes / 1024 / 1024 / (millis / 1000)).toFixed(1)} MiB/s`;
  report(`a ${(bytes / 1024 / 1024).toFixed(0)} MiB log read whole (median of ${READS}, certificate and login included)`, {
    'porthole logs --lines all': `${ms(median(portholeReads))} (${rate(median(portholeReads))})`,
    'plain ssh cat': `${ms(median(sshReads))} (${rate(median(sshReads))})`,
    'throughput porthole / plain ssh': `${(median(sshReads) / median(portholeReads)).toFixed(2)}x`,
  });
} finally {
  gateway.close();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}

/** Appends numbered lines one at a time and times each until `subscribe`'s listener sees it. */
async function followLatencies(file: string, subscribe: (listener: (text: string) => void) => void): Promise<number[]> {
  const samples: number[] = [];
  let waiting: { mark: string; resolve: () => void } | undefined;
  subscribe((text) => {
    if (waiting && text.includes(waiting.mark)) waiting.resolve();
  });
  // The first line also waits for the reader to be up.
  for (let i = -1; i < FOLLOWED_LINES; i++) {
    const mark = `followed-${process.hrtime.bigint()}`;
    const seen = new Promise<void>((resolve) => (waiting = { mark, resolve }));
    const start = performance.now();
    await appendFile(file, `${new Date().toISOString()} porthole: ${mark}\n`);
    const shown = await Promise.race([seen.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), i < 0 ? 500 : 10_000))]);
    if (!shown) {
      if (i < 0) {
        i--;
        continue;
      }
      throw new Error('a followed line never arrived');
    }
    if (i >= 0) samples.push(performance.now() - start);
  }
  return samples;
}

/** The baseline: the system ssh with the same fresh certificate and options, and nothing of Porthole's on top. */
async function plainSsh(command: string): Promise<{ onLine(listener: (text: string) => void): void; ended: Promise<void>; stop(): void }> {
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  const child = spawn('ssh', ['-T', ...sshLoginOptions(files, point, details.username), command], { stdio: ['ignore', 'pipe', 'ignore'] });
  const listeners: Array<(text: string) => void> = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => listeners.forEach((listener) => listener(chunk)));
  const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void ended.then(() => files.remove());
  return { onLine: (listener) => listeners.push(listener), ended, stop: () => child.kill('SIGTERM') };
}
