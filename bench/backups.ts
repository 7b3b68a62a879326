/**
 * Restoring a backup against its baseline, a create from a snapshot: both
 * launch an instance from a disk image through the same engine steps, so a
 * restore should cost what a create from a baked image costs, plus the one
 * check that the day's backup is there. A restore in place is measured
 * against a restore as a new workspace: it does the same launch, then
 * moves the static IP and deletes the old instance, so it costs that delete
 * more. Each is run several times in lightsail-local (its own process) and
 * timed to the engine's answer.
 *
 *   npx tsx bench/backups.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { SettingsStore } from '../src/core/settings/settings-store.js';
import { OperationJournal } from '../src/core/workspaces/operation-journal.js';
import { SANDBOX_CREDENTIALS } from '../src/emulator/sandbox-credentials.js';
import { benchEngine } from './support/bench-engine.js';
import { startEmulatorProcess } from './support/emulator-process.js';
import { median, ms, report } from './support/stats.js';

const RUNS = 5;
// Lightsail-local's durations (a minute or so to create, 90 s to snapshot) pass 600 times faster.
const TIME_SCALE = 600;
const DAY_MS = 24 * 60 * 60_000;

const emulator = await startEmulatorProcess({ timeScale: TIME_SCALE });
const dataDir = await mkdtemp(join(tmpdir(), 'porthole-bench-backups-'));
const gateway = new SdkLightsailGateway({ region: 'us-east-1', credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint });
const engine = benchEngine({
  regions: ['us-east-1'],
  gateway,
  settings: new SettingsStore(dataDir),
  journal: await OperationJournal.open(join(dataDir, 'journal.json')),
  extra: { pollIntervalMs: 20 },
});

await engine.create({ name: 'source', bundleId: 'nano_3_0', backups: { timeOfDay: '03:00' } });
await engine.bake('source', 'source-image');
await emulator.advance(2 * DAY_MS);
const [backup] = (await engine.backups('source')).backups;
if (!backup || backup.status !== 'ready') throw new Error('the source workspace has no finished backup to restore');

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const fromImage: number[] = [];
const restores: number[] = [];
for (let i = 0; i < RUNS; i++) {
  fromImage.push(await timed(() => engine.create({ name: `from-image-${i}`, image: 'source-image' })));
  restores.push(await timed(() => engine.restore('source', backup.date, { as: `restored-${i}` })));
}

// Each restore in place deletes the instance whose backups it chose from, so the days pass again before the next.
await engine.create({ name: 'in-place', bundleId: 'nano_3_0', backups: { timeOfDay: '03:00' } });
const inPlace: number[] = [];
for (let i = 0; i < RUNS; i++) {
  await emulator.advance(2 * DAY_MS);
  const [day] = (await engine.backups('in-place')).backups.filter((b) => b.status === 'ready');
  if (!day) throw new Error('the in-place workspace has no finished backup to restore');
  inPlace.push(await timed(() => engine.restore('in-place', day.date, {})));
}

report(`Restoring a backup, ${RUNS} runs each, lightsail-local at ${TIME_SCALE}× time`, {
  'create from a baked image (median, baseline)': ms(median(fromImage)),
  'restore a day\u2019s backup as a new workspace (median)': ms(median(restores)),
  'restore / create from image': `${(median(restores) / median(fromImage)).toFixed(2)}×`,
  'restore in place, same name, static IP and password (median)': ms(median(inPlace)),
  'restore in place / restore as new': `${(median(inPlace) / median(restores)).toFixed(2)}×`,
});

gateway.close();
await emulator.close();
await rm(dataDir, { recursive: true, force: true });
