import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceStatusReader } from '../../src/core/access/instance-status-reader.js';
import { sandboxEndpointResolver } from '../../src/core/access/ssh-endpoint-resolver.js';
import { systemClock } from '../../src/core/cloud/clock.js';
import { SdkLightsailGateway } from '../../src/core/cloud/sdk-lightsail-gateway.js';
import { launchScript } from '../../src/core/provision/launch-script.js';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { generatePassword, hashPassword } from '../../src/core/secrets/password.js';
import { SettingsStore } from '../../src/core/settings/settings-store.js';
import type { CrashHook } from '../../src/core/workspaces/crash-points.js';
import type { EngineDependencies, InstanceStatusOptions } from '../../src/core/workspaces/engine-ports.js';
import { KeychainPasswords } from '../../src/core/workspaces/keychain-passwords.js';
import { OperationJournal } from '../../src/core/workspaces/operation-journal.js';
import { fetchPublicIp } from '../../src/core/workspaces/public-ip.js';
import { SettingsWorkspaceRecords } from '../../src/core/workspaces/settings-workspace-records.js';
import { WorkspaceEngine } from '../../src/core/workspaces/workspace-engine.js';
import { SANDBOX_CREDENTIALS, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

/**
 * A workspace engine wired to real parts: lightsail-local over HTTP through
 * the AWS SDK, the session's gnome-keyring (a service name of its own, so
 * tests never see each other's passwords), settings and journal in a temp dir.
 */
export interface EngineFixture {
  emulator: RunningEmulator;
  engine: WorkspaceEngine;
  /**
   * The cloud as an outside observer sees it: a gateway of its own, not the
   * engine's, so a resource the engine created is not "just created" here and
   * a delete done by another process reads as gone at once.
   */
  gateway: SdkLightsailGateway;
  secrets: KeytarSecretStore;
  settings: SettingsStore;
  dataDir: string;
  /** A second engine over the same files and keychain, as after a restart. */
  restart(): Promise<WorkspaceEngine>;
  close(): Promise<void>;
}

export const TEST_ACCOUNT = 'sandbox';
export const TEST_REGION = 'us-east-1';

export interface EngineParts {
  endpoint: string;
  dataDir: string;
  settings: SettingsStore;
  secrets: KeytarSecretStore;
  crashHook?: CrashHook;
  /** Attempts per Lightsail call; more when a suite injects a high fault rate. */
  retryAttempts?: number;
}

function testGateway(endpoint: string, retryAttempts = 8): SdkLightsailGateway {
  return new SdkLightsailGateway(
    { region: TEST_REGION, credentials: async () => SANDBOX_CREDENTIALS, endpoint },
    { waitTiming: { pollIntervalMs: 25 }, retryPolicy: { maxAttempts: retryAttempts, baseDelayMs: 5, maxDelayMs: 50 } },
  );
}

/** The engine as the CLI builds it, over the given emulator, folder and keychain service. */
export async function buildEngine({ endpoint, dataDir, settings, secrets, crashHook, retryAttempts }: EngineParts): Promise<{ engine: WorkspaceEngine; gateway: SdkLightsailGateway }> {
  const gateway = testGateway(endpoint, retryAttempts);
  const engine = new WorkspaceEngine({
    account: TEST_ACCOUNT,
    regions: [TEST_REGION],
    defaultRegion: TEST_REGION,
    gateway,
    records: new SettingsWorkspaceRecords(settings),
    passwords: new KeychainPasswords(secrets),
    journal: await OperationJournal.open(join(dataDir, 'journal.json')),
    publicIp: () => fetchPublicIp(`${endpoint}/_emulator/ip`),
    launchScript,
    hashPassword,
    generatePassword,
    clock: systemClock,
    pollIntervalMs: 25,
    ...(crashHook ? { crashHook } : {}),
  });
  return { engine, gateway };
}

export async function startEngineFixture(emulatorOptions: EmulatorOptions = {}, engineOptions: { retryAttempts?: number } = {}): Promise<EngineFixture> {
  const emulator = await startEmulator({ timeScale: 200, seed: 7, ...emulatorOptions });
  const dataDir = await mkdtemp(join(tmpdir(), 'porthole-engine-'));
  const secrets = new KeytarSecretStore(`porthole-test-${randomUUID()}`);
  const settings = new SettingsStore(dataDir);
  const gateways: SdkLightsailGateway[] = [];
  const build = async () => {
    const built = await buildEngine({ endpoint: emulator.endpoint, dataDir, settings, secrets, ...engineOptions });
    gateways.push(built.gateway);
    return built;
  };
  const first = await build();
  const observer = testGateway(emulator.endpoint, engineOptions.retryAttempts);
  gateways.push(observer);
  return {
    emulator,
    engine: first.engine,
    gateway: observer,
    secrets,
    settings,
    dataDir,
    restart: async () => (await build()).engine,
    close: async () => {
      for (const gateway of gateways) gateway.close();
      for (const account of await secrets.list()) await secrets.delete(account);
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second engine over the fixture's sandbox that reads its instances'
 * status over SSH (provisioning, idle warnings, ports), with a journal of
 * its own in `work`.
 */
export async function engineReadingStatus(
  f: EngineFixture,
  work: string,
  options: { launchScript?: EngineDependencies['launchScript']; readTimeoutMs: number; status: Omit<InstanceStatusOptions, 'source'> },
): Promise<WorkspaceEngine> {
  return new WorkspaceEngine({
    account: TEST_ACCOUNT,
    regions: [TEST_REGION],
    defaultRegion: TEST_REGION,
    gateway: f.gateway,
    records: new SettingsWorkspaceRecords(f.settings),
    passwords: new KeychainPasswords(f.secrets),
    journal: await OperationJournal.open(join(work, 'journal.json')),
    publicIp: () => fetchPublicIp(`${f.emulator.endpoint}/_emulator/ip`),
    launchScript: options.launchScript ?? launchScript,
    hashPassword,
    generatePassword,
    clock: systemClock,
    pollIntervalMs: 25,
    instanceStatus: {
      source: instanceStatusReader({ gateway: f.gateway, resolver: sandboxEndpointResolver(f.emulator.endpoint, 'ssh'), timeoutMs: options.readTimeoutMs }),
      ...options.status,
    },
  });
}
