import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { instanceStatusReader } from '../../src/core/access/instance-status-reader.js';
import { wireWorkspaceAccess, type AccessParts } from '../../src/core/access/workspace-access-wiring.js';
import { systemClock } from '../../src/core/cloud/clock.js';
import type { Bundle } from '../../src/core/cloud/model.js';
import { TEST_RUN_TAG } from '../../src/core/cloud/porthole-tags.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { awsEndpointResolver, sandboxEndpointResolver } from '../../src/core/access/ssh-endpoint-resolver.js';
import { launchScript } from '../../src/core/provision/launch-script.js';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { generatePassword, hashPassword } from '../../src/core/secrets/password.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings-schema.js';
import { SettingsStore } from '../../src/core/settings/settings-store.js';
import { KeychainPasswords } from '../../src/core/workspaces/keychain-passwords.js';
import { testRunLeaks } from '../../src/core/workspaces/leak-sweep.js';
import { regionInventory, sweepLeak, sweepOrder } from '../../src/core/workspaces/leak-sweeper.js';
import { OperationJournal } from '../../src/core/workspaces/operation-journal.js';
import { fetchPublicIp } from '../../src/core/workspaces/public-ip.js';
import { SettingsWorkspaceRecords } from '../../src/core/workspaces/settings-workspace-records.js';
import { SNAPSHOT_USD_PER_GB_MONTH, HOURS_PER_MONTH } from '../../src/core/workspaces/workspace-cost.js';
import { WorkspaceEngine } from '../../src/core/workspaces/workspace-engine.js';
import { SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';
import { codeServerBin } from './code-server-bin.js';

/**
 * Where the live acceptance suite runs: real Lightsail when
 * PORTHOLE_LIVE_PROFILE and PORTHOLE_LIVE_REGION name an AWS profile and a
 * region, lightsail-local (real sshd and code-server on loopback) otherwise.
 * Everything after this point is the same code for both.
 */
export interface LiveTarget {
  kind: 'aws' | 'lightsail-local';
  region: string;
  runId: string;
  engine: WorkspaceEngine;
  gateway: SdkLightsailGateway;
  access: AccessParts['access'];
  /** The cheapest bundle that runs the workbench. */
  bundle: Bundle;
  /** Workspaces this run makes, by role. */
  names: { workspace: string; fromImage: string; image: string };
  /** Deletes everything the run made: through the engine first, then whatever still carries its tag. */
  cleanUp(): Promise<string[]>;
  close(): Promise<void>;
}

export const LIVE_VARIABLES = ['PORTHOLE_LIVE_PROFILE', 'PORTHOLE_LIVE_REGION'] as const;

/** How long the suite holds resources against AWS, for the estimate it prints (measured runs take 20–25 minutes). */
export const LIVE_PLAN = { instanceMinutes: 2 * 30, snapshotGbMinutesPerGb: 2 * 15 };

/** Why the live suite will not run against AWS as set up, or undefined when it can (or is not asked to). */
export function liveRefusal(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = LIVE_VARIABLES.filter((name) => env[name]);
  if (set.length === LIVE_VARIABLES.length || (set.length === 0 && env.PORTHOLE_LIVE !== '1')) return undefined;
  return (
    'The live acceptance suite runs against real Lightsail and needs both PORTHOLE_LIVE_PROFILE (an AWS profile from ~/.aws/config) ' +
    `and PORTHOLE_LIVE_REGION (e.g. us-east-1); ${set.length === 0 ? 'neither is set' : `only ${set.join(' and ')} is set`}. ` +
    'Example: PORTHOLE_LIVE_PROFILE=work PORTHOLE_LIVE_REGION=eu-west-1 npm run test:live'
  );
}

/** What a run costs in USD: the bundle for the minutes it is held, and snapshot storage (disk GB for the minutes a snapshot lives). */
export function liveCostUsd(bundle: Bundle, plan = LIVE_PLAN): number {
  const instance = (bundle.priceMonthlyUsd / HOURS_PER_MONTH) * (plan.instanceMinutes / 60);
  const snapshots = (bundle.diskSizeInGb * SNAPSHOT_USD_PER_GB_MONTH * (plan.snapshotGbMinutesPerGb / 60)) / HOURS_PER_MONTH;
  return instance + snapshots;
}

/** The cheapest Linux bundle with a public IPv4 address and the 1 GB the workbench needs beside code-server. */
export function smallestBundle(bundles: readonly Bundle[]): Bundle {
  const fitting = bundles.filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX') && !b.id.includes('ipv6') && b.ramSizeInGb >= 1);
  const cheapest = [...fitting].sort((a, b) => a.priceMonthlyUsd - b.priceMonthlyUsd)[0];
  if (!cheapest) throw new Error('No Linux bundle with 1 GB of memory is offered in this region.');
  return cheapest;
}

interface RunRecord {
  runId: string;
  region: string;
  workspaces: string[];
}

export async function openLiveTarget(env: NodeJS.ProcessEnv = process.env): Promise<LiveTarget> {
  const refusal = liveRefusal(env);
  if (refusal) throw new Error(refusal);
  const aws = Boolean(env.PORTHOLE_LIVE_PROFILE);
  const runId = randomUUID().slice(0, 8);
  const work = await mkdtemp(join(tmpdir(), 'porthole-live-'));
  const emulator = aws ? undefined : await startEmulator({ timeScale: 50, stateFile: join(work, 'state.json'), instanceRuntime: { codeServer: codeServerBin() } });
  const region = aws ? env.PORTHOLE_LIVE_REGION! : 'us-east-1';
  const gateway = emulator
    ? new SdkLightsailGateway({ region, credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint }, { waitTiming: { pollIntervalMs: 100 } })
    : new SdkLightsailGateway({ region, credentials: fromIni({ profile: env.PORTHOLE_LIVE_PROFILE! }) });
  // A run killed before its own clean-up left its record here; the next run sweeps it first.
  const runsDir = aws ? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'porthole-live', 'runs') : join(work, 'runs');
  const settings = new SettingsStore(join(work, 'settings'));
  const secrets = new KeytarSecretStore(`porthole-live-${runId}`);
  const journal = await OperationJournal.open(join(work, 'journal.json'));
  const resolver = emulator ? sandboxEndpointResolver(emulator.endpoint, 'ssh') : awsEndpointResolver;
  const engine = new WorkspaceEngine({
    account: aws ? env.PORTHOLE_LIVE_PROFILE! : 'sandbox',
    regions: [region],
    defaultRegion: region,
    gateway,
    records: new SettingsWorkspaceRecords(settings),
    passwords: new KeychainPasswords(secrets),
    journal,
    publicIp: () => fetchPublicIp(emulator ? `${emulator.endpoint}/_emulator/ip` : DEFAULT_SETTINGS.ipEchoUrl),
    launchScript,
    hashPassword,
    generatePassword,
    clock: systemClock,
    resourceTags: { [TEST_RUN_TAG]: runId },
    ...(emulator ? { pollIntervalMs: 100 } : {}),
    instanceStatus: { source: instanceStatusReader({ gateway, resolver }), provisioningIntervalMs: emulator ? 500 : 5_000, firstReadBudgetMs: 1_000 },
  });
  const access = wireWorkspaceAccess({ engine, gateway, ...(emulator ? { sandboxEndpoint: emulator.endpoint } : {}), settings }).access;
  const names = { workspace: `lv-${runId}`, fromImage: `lv-${runId}-b`, image: `lv-${runId}-img` };
  const record: RunRecord = { runId, region, workspaces: [names.workspace, names.fromImage] };

  const sweepRun = async (run: RunRecord): Promise<string[]> => {
    const bundles = await gateway.getBundles(run.region);
    const leaks = testRunLeaks(engine.account, await regionInventory(gateway, run.region), { id: run.runId, workspaces: run.workspaces, bundles });
    for (const leak of sweepOrder(leaks)) await sweepLeak(leak, { gateway, journal, engine, clock: systemClock });
    return leaks.map((l) => `${l.kind} ${l.name}`);
  };
  await mkdir(runsDir, { recursive: true });
  for (const file of await readdir(runsDir)) {
    const earlier = JSON.parse(await readFile(join(runsDir, file), 'utf8')) as RunRecord;
    const swept = await sweepRun(earlier);
    if (swept.length > 0) console.log(`live suite: swept what run ${earlier.runId} left: ${swept.join(', ')}`);
    await rm(join(runsDir, file), { force: true });
  }
  await writeFile(join(runsDir, `${runId}.json`), JSON.stringify(record));

  const bundle = smallestBundle(await gateway.getBundles(region));
  let closed = false;
  const cleanUp = async (): Promise<string[]> => {
    for (const name of record.workspaces) await engine.delete(name).catch(() => undefined);
    await engine.deleteImage(names.image).catch(() => undefined);
    const left = await sweepRun(record);
    await rm(join(runsDir, `${runId}.json`), { force: true });
    return left;
  };
  return {
    kind: aws ? 'aws' : 'lightsail-local',
    region,
    runId,
    engine,
    gateway,
    access,
    bundle,
    names,
    cleanUp,
    close: async () => {
      if (closed) return;
      closed = true;
      await access.closeAll();
      for (const account of await secrets.list()) await secrets.delete(account);
      gateway.close();
      await emulator?.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
