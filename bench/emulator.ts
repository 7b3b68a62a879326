import { CreateInstancesCommand, GetInstancesCommand, GetRegionsCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { SANDBOX_CREDENTIALS, startEmulator } from '../src/emulator/index.js';

/**
 * GetInstances on a full account: 1,000 instances over 4 regions, listed
 * page by page with the real SDK. The machine is noisy, so each figure comes
 * with a baseline from the same run: a GetRegions call (same SDK, signing
 * and server path, constant-size answer) and a bare HTTP round trip.
 */
const REGIONS = ['us-east-1', 'eu-west-2', 'ap-southeast-2', 'ca-central-1'];
const INSTANCES = 1_000;
const BATCH = 50;
const PHASE_MS = 6_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Repeats `once` for about PHASE_MS after a short warm-up; each call may make several requests. */
async function measure(once: () => Promise<number[]>): Promise<Figures> {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await once();
  const latencies: number[] = [];
  const startedAt = performance.now();
  while (performance.now() - startedAt < PHASE_MS) latencies.push(...(await once()));
  const elapsed = performance.now() - startedAt;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, perSecond: (latencies.length / elapsed) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function timed<T>(call: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await call();
  return [result, performance.now() - t0];
}

const benchStart = performance.now();
const emu = await startEmulator({ seed: 1 });
const clients = new Map(REGIONS.map((region) => [region, new LightsailClient({ region, endpoint: emu.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 })]));
const client = (region: string) => clients.get(region) as LightsailClient;

const perRegion = INSTANCES / REGIONS.length;
await Promise.all(
  REGIONS.map(async (region) => {
    for (let first = 0; first < perRegion; first += BATCH) {
      const instanceNames = Array.from({ length: Math.min(BATCH, perRegion - first) }, (_, i) => `bench-${region}-${String(first + i).padStart(4, '0')}`);
      await client(region).send(new CreateInstancesCommand({ instanceNames, availabilityZone: `${region}a`, blueprintId: 'ubuntu_24_04', bundleId: 'nano_3_0' }));
    }
  }),
);
emu.advance(60_000);
const seededMs = performance.now() - benchStart;

let listed = 0;
let pagesPerListing = 0;
const fullListing = await measure(async () => {
  const latencies: number[] = [];
  listed = 0;
  for (const region of REGIONS) {
    let pageToken: string | undefined;
    do {
      const [page, ms] = await timed(() => client(region).send(new GetInstancesCommand(pageToken ? { pageToken } : {})));
      latencies.push(ms);
      listed += page.instances?.length ?? 0;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
  pagesPerListing = latencies.length;
  return latencies;
});
if (listed !== INSTANCES) throw new Error(`A full listing found ${listed} instances, not ${INSTANCES}`);

const regions = await measure(async () => [(await timed(() => client('us-east-1').send(new GetRegionsCommand({}))))[1]]);
const health = await measure(async () => [
  (
    await timed(async () => {
      const response = await fetch(`${emu.endpoint}/_emulator/health`);
      await response.text();
    })
  )[1],
]);
await emu.close();
for (const c of clients.values()) c.destroy();

const row = (name: string, f: Figures) =>
  `${name.padEnd(34)} ${f.perSecond.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms   (${f.requests} requests)`;
console.log(`lightsail-local GetInstances benchmark: ${INSTANCES} instances over ${REGIONS.length} regions, seeded in ${(seededMs / 1000).toFixed(1)} s`);
console.log(row('GetInstances page', fullListing));
console.log(row('GetRegions (SDK baseline)', regions));
console.log(row('GET /_emulator/health (HTTP base)', health));
console.log(`full listing of ${INSTANCES} instances (${pagesPerListing} pages): ${(fullListing.p50 * pagesPerListing).toFixed(1)} ms at p50, ${(fullListing.perSecond / pagesPerListing).toFixed(1)} listings/s`);
console.log(`ratio GetInstances page / GetRegions: p50 ${(fullListing.p50 / regions.p50).toFixed(2)}x, throughput ${(regions.perSecond / fullListing.perSecond).toFixed(2)}x slower`);
console.log(`ratio GetInstances page / bare HTTP:  p50 ${(fullListing.p50 / health.p50).toFixed(2)}x`);
console.log(`total bench time ${((performance.now() - benchStart) / 1000).toFixed(1)} s`);
