/**
 * Reading workspaces' own status (provisioning progress, idle warning) over
 * SSH, on sandbox instances backed by a real sshd and code-server. Prints
 * one status read against opening an SSH tunnel to the same instance (the
 * connection Porthole already makes), a steady-state engine refresh with
 * status reading on against the same engine without it, and how long a new
 * workspace shows `provisioning` and in how many steps.
 *
 *   npx tsx bench/instance-status.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceStatusReader } from '../src/core/access/instance-status-reader.js';
import { systemProcessRunner } from '../src/core/access/process-runner.js';
import { sandboxEndpointResolver } from '../src/core/access/ssh-endpoint-resolver.js';
import { openSshTunnel } from '../src/core/access/ssh-tunnel.js';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { SettingsStore } from '../src/core/settings/settings-store.js';
import type { InstanceStatusOptions } from '../src/core/workspaces/engine-ports.js';
import { OperationJournal } from '../src/core/workspaces/operation-journal.js';
import type { WorkspaceEngine } from '../src/core/workspaces/workspace-engine.js';
import { SANDBOX_CREDENTIALS, startEmulator } from '../src/emulator/index.js';
import { codeServerSearchDirs, findCodeServer } from '../src/emulator/runtime/code-server-install.js';
import { median, ms, report } from './support/stats.js';
import { benchEngine } from './support/bench-engine.js';

const REGION = 'us-east-1';
const WORKSPACES = 3;
const READS = 10;
const REFRESHES = 20;

const codeServer = findCodeServer(codeServerSearchDirs(join(tmpdir(), 'porthole-bench-none')));
if (!codeServer) {
  console.error('bench/instance-status needs code-server 4.100.3: run "node scripts/install-code-server.mjs" (or "porthole sandbox install") first.');
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'porthole-bench-status-'));
const emulator = await startEmulator({ stateFile: join(work, 'state.json'), durations: { create: 200, start: 200, stop: 200, reboot: 200, delete: 200, snapshot: 200 }, instanceRuntime: { codeServer } });
const gateway = new SdkLightsailGateway({ region: REGION, credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint }, { waitTiming: { pollIntervalMs: 25 } });
const settings = new SettingsStore(work);
const journal = await OperationJournal.open(join(work, 'journal.json'));
const source = instanceStatusReader({ gateway, resolver: sandboxEndpointResolver(emulator.endpoint, 'ssh') });

function engineWith(instanceStatus?: InstanceStatusOptions): WorkspaceEngine {
  return benchEngine({ regions: [REGION], gateway, settings, journal, extra: { pollIntervalMs: 25, ...(instanceStatus ? { instanceStatus } : {}) } });
}

try {
  const reading = engineWith({ source, provisioningIntervalMs: 100 });
  const names = Array.from({ length: WORKSPACES }, (_, i) => `bench-status-${i + 1}`);

  // A new workspace: from the end of its create to ready, the markers say provisioning.
  const provisioningMs: number[] = [];
  const steps = new Set<string>();
  reading.events.subscribe((event) => {
    if (event.type === 'workspace-changed' && event.workspace.provisioning) steps.add(`${event.workspace.name} ${event.workspace.provisioning.index}`);
  });
  for (const name of names) {
    await reading.create({ name, bundleId: 'small_3_0', accessMode: 'tunnel', idleTimeoutMinutes: 30 });
    const created = performance.now();
    while (reading.get(name).state !== 'ready') {
      if (performance.now() - created > 60_000) throw new Error(`${name} did not become ready: ${reading.get(name).state} ${reading.get(name).reason ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await reading.refresh();
    }
    provisioningMs.push(performance.now() - created);
  }

  const target = { workspace: names[0]!, region: REGION };
  const reads: number[] = [];
  const tunnels: number[] = [];
  for (let i = 0; i < READS; i++) {
    let started = performance.now();
    await source.read({ region: REGION, name: target.workspace });
    reads.push(performance.now() - started);
    started = performance.now();
    const tunnel = await openSshTunnel({ gateway, resolver: sandboxEndpointResolver(emulator.endpoint), runner: systemProcessRunner }, target);
    tunnels.push(performance.now() - started);
    await tunnel.close();
  }

  // Steady state: every workspace ready and read, none due again within the idle interval.
  const plain = engineWith();
  await plain.refresh();
  const withReads: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < REFRESHES; i++) {
    let started = performance.now();
    await reading.refresh();
    withReads.push(performance.now() - started);
    started = performance.now();
    await plain.refresh();
    without.push(performance.now() - started);
  }

  report(`Instance status over SSH (${WORKSPACES} sandbox workspaces, real sshd and code-server)`, {
    'status read (fresh certificate, one ssh run), median': ms(median(reads)),
    'baseline: SSH tunnel setup to the same instance, median': ms(median(tunnels)),
    'status read / tunnel setup': (median(reads) / median(tunnels)).toFixed(2),
    'steady refresh with status reading, median': ms(median(withReads)),
    'baseline: steady refresh without it, median': ms(median(without)),
    'steady refresh ratio (with / without)': (median(withReads) / median(without)).toFixed(2),
    'provisioning shown after create, median': ms(median(provisioningMs)),
    'provisioning steps seen, per workspace': (steps.size / WORKSPACES).toFixed(1),
  });
  for (const name of names) await reading.delete(name);
} finally {
  gateway.close();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}
