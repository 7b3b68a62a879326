/**
 * The workspace engine at scale: 1,000 workspaces over 4 regions in
 * lightsail-local. Prints refresh time and Lightsail calls per refresh,
 * change-detection latency during a transition, calls per minute when
 * steady, and the engine's memory, each beside a baseline from the same run.
 *
 *   npx tsx bench/engine.ts
 */
import { CreateInstancesCommand, GetInstancesCommand, LightsailClient, StopInstanceCommand } from '@aws-sdk/client-lightsail';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { SettingsStore } from '../src/core/settings/settings-store.js';
import { OperationJournal } from '../src/core/workspaces/operation-journal.js';
import { STEADY_POLL_MS } from '../src/core/workspaces/poll-policy.js';
import { WorkspacePoller } from '../src/core/workspaces/workspace-poller.js';
import { SANDBOX_CREDENTIALS } from '../src/emulator/sandbox-credentials.js';
import { startCountingProxy } from './support/counting-proxy.js';
import { MemorySecretStore } from './support/memory-secret-store.js';
import { benchEngine } from './support/bench-engine.js';
import { startEmulatorProcess } from './support/emulator-process.js';
import { median, mib, ms, report } from './support/stats.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'];
const WORKSPACES = 1_000;
const REFRESHES = 7;

// The emulator runs in a process of its own, so the memory figures are the engine's alone.
const TIME_SCALE = 50;
const STOP_MS = 30_000;
const emulator = await startEmulatorProcess({ timeScale: TIME_SCALE });
const proxy = await startCountingProxy(emulator.endpoint);
const dataDir = await mkdtemp(join(tmpdir(), 'porthole-bench-'));
const credentials = async () => SANDBOX_CREDENTIALS;

const clients = new Map(REGIONS.map((region) => [region, new LightsailClient({ region, endpoint: emulator.endpoint, credentials })]));
const names: Array<{ region: string; name: string }> = [];
for (let i = 0; i < WORKSPACES; i++) names.push({ region: REGIONS[i % REGIONS.length]!, name: `ws-${String(i).padStart(4, '0')}` });
await Promise.all(
  REGIONS.map(async (region) => {
    for (const { name } of names.filter((n) => n.region === region)) {
      await clients.get(region)!.send(
        new CreateInstancesCommand({
          instanceNames: [name],
          availabilityZone: `${region}a`,
          blueprintId: 'ubuntu_24_04',
          bundleId: 'small_3_0',
          tags: [
            { key: 'porthole:managed', value: 'true' },
            { key: 'porthole:workspace', value: name },
          ],
        }),
      );
    }
  }),
);
await emulator.advance(10 * 60_000);

const rssBefore = process.memoryUsage().rss;
const settings = new SettingsStore(dataDir);
const secrets = new MemorySecretStore();
for (const { region, name } of names) await secrets.set(`sandbox/${region}/${name}`, randomUUID());
const gateway = new SdkLightsailGateway({ region: REGIONS[0]!, credentials, endpoint: proxy.endpoint });
const engine = benchEngine({ regions: REGIONS, gateway, settings, secrets, journal: await OperationJournal.open(join(dataDir, 'journal.json')) });

// Baseline: the bare listing an engine refresh cannot do without (GetInstances, all pages, all regions).
const baseline: number[] = [];
for (let i = 0; i < REFRESHES; i++) {
  const started = performance.now();
  await Promise.all(
    REGIONS.map(async (region) => {
      let pageToken: string | undefined;
      do {
        const page = await clients.get(region)!.send(new GetInstancesCommand(pageToken ? { pageToken } : {}));
        pageToken = page.nextPageToken;
      } while (pageToken);
    }),
  );
  baseline.push(performance.now() - started);
}

const refreshes: number[] = [];
let callsPerRefresh = 0;
for (let i = 0; i < REFRESHES; i++) {
  proxy.reset();
  const started = performance.now();
  const listed = await engine.refresh();
  refreshes.push(performance.now() - started);
  callsPerRefresh = proxy.total();
  if (listed.length !== WORKSPACES) throw new Error(`the engine listed ${listed.length} workspaces, not ${WORKSPACES}`);
}
const callsByOperation = Object.fromEntries(proxy.counts);
const rssWithEngine = process.memoryUsage().rss;

// Change detection: stop one instance behind the engine's back and time until the engine's stream says so.
const target = names[0]!;
const poller = new WorkspacePoller(engine);
const detected = new Promise<number>((resolve) => {
  engine.events.subscribe((event) => {
    if (event.type === 'workspace-changed' && event.workspace.name === target.name && event.workspace.state === 'stopped') resolve(performance.now());
  });
});
await clients.get(target.region)!.send(new StopInstanceCommand({ instanceName: target.name }));
poller.start();
// Lightsail-local takes 30 s of emulated time to stop an instance; at 50× the instance is stopped 0.6 s after the call.
const stoppedAt = performance.now() + STOP_MS / TIME_SCALE;
const detectedAt = await detected;
poller.stop();
const latency = Math.max(0, detectedAt - stoppedAt);

await new Promise((resolve) => setTimeout(resolve, 200));
const steadyDelay = poller.currentDelay();

report(`Workspace engine, ${WORKSPACES} workspaces over ${REGIONS.length} regions`, {
  'refresh time (median)': ms(median(refreshes)),
  'bare GetInstances listing, all regions (median, baseline)': ms(median(baseline)),
  'refresh / bare listing': `${(median(refreshes) / median(baseline)).toFixed(2)}×`,
  'Lightsail calls per refresh': `${callsPerRefresh} ${JSON.stringify(callsByOperation)}`,
  'change-detection latency after the instance stopped': ms(latency),
  'poll delay while steady': ms(steadyDelay),
  'Lightsail calls per minute when steady': ((callsPerRefresh * 60_000) / STEADY_POLL_MS).toFixed(0),
  'process RSS before the engine (baseline)': mib(rssBefore),
  'process RSS with the engine holding 1,000 workspaces': mib(rssWithEngine),
  'RSS with engine / baseline': `${(rssWithEngine / rssBefore).toFixed(2)}×`,
});

gateway.close();
for (const client of clients.values()) client.destroy();
await proxy.close();
await emulator.close();
await rm(dataDir, { recursive: true, force: true });
