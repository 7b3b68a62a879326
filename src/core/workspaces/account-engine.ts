import { fromIni } from '@aws-sdk/credential-providers';
import { join } from 'node:path';
import { systemClock } from '../cloud/clock.js';
import type { LightsailAccount } from '../cloud/lightsail-client.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { INSTALLATION_TAG } from '../cloud/porthole-tags.js';
import { SdkLightsailGateway } from '../cloud/sdk-lightsail-gateway.js';
import { instanceStatusReader } from '../access/instance-status-reader.js';
import { eventHistoryPath, recordEventHistory } from '../app/event-history.js';
import { awsEndpointResolver, sandboxEndpointResolver, type SshEndpointResolver } from '../access/ssh-endpoint-resolver.js';
import { PortholeError } from '../errors.js';
import { composable, loadLayerCatalog } from '../provision/layer-catalog.js';
import { composeLayers } from '../provision/layer-composition.js';
import { launchScript, ROOT_LAYER } from '../provision/launch-script.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { generatePassword, hashPassword } from '../secrets/password.js';
import type { AccountSettings } from '../settings/settings-schema.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { installationId } from '../settings/installation-id.js';
import { crashHookFromEnv } from './crash-points.js';
import { KeychainPasswords } from './keychain-passwords.js';
import { OperationJournal } from './operation-journal.js';
import { FirewallFollower } from './firewall-follow.js';
import { fetchPublicIp } from './public-ip.js';
import { SettingsWorkspaceRecords } from './settings-workspace-records.js';
import { WorkspaceEngine } from './workspace-engine.js';
import type { InstanceStatusSource } from './engine-ports.js';

/** Where the Sandbox account's lightsail-local answers; the caller starts or finds it. */
export interface SandboxEndpoint {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface AccountEngineOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Required when the active account is the Sandbox. */
  sandbox?: SandboxEndpoint;
  /** Another configured account than the active one (the account registry opens each enabled one). */
  account?: AccountSettings;
  /**
   * Read provisioning progress and idle warnings from running instances over
   * SSH (default on: the app and `porthole ui`, which keep the engine open).
   * A one-shot command turns it off: it would only add an SSH login per
   * running workspace (and in a sandbox it serves itself, a code-server start).
   */
  instanceStatus?: boolean;
}

export interface AccountEngine {
  account: AccountSettings;
  engine: WorkspaceEngine;
  /** The same gateway the engine uses, for what the UI asks of the cloud directly (regions, bundles, blueprints). */
  gateway: LightsailGateway;
  /** Reads a running instance's own status over SSH, for one question (`porthole status`) whether or not the engine polls it. */
  instanceStatus: InstanceStatusSource;
  /** Moves a workspace's SSH rule to this computer's new address when a connection cannot get through; wraps the tunnel's opener. */
  firewall: FirewallFollower;
  /** Where an instance's sshd answers as soon as it listens, code-server up or not: for its status, logs and diagnostics. */
  boxResolver: SshEndpointResolver;
  close(): void;
}

/**
 * Where a status read finds an instance's sshd. A sandbox instance's answers
 * while its code-server still comes up, as a real instance's does. An AWS
 * profile whose Lightsail endpoint is overridden (AWS_ENDPOINT_URL_LIGHTSAIL)
 * talks to lightsail-local, whose instances' public addresses are made up:
 * it says where they listen; any other endpoint that cannot answer leaves
 * the status unread rather than dialling an address nobody owns.
 */
function statusEndpointResolver(account: AccountSettings, sandbox: SandboxEndpoint | undefined, env: NodeJS.ProcessEnv = process.env): SshEndpointResolver {
  if (account.kind === 'sandbox' && sandbox) return sandboxEndpointResolver(sandbox.endpoint, 'ssh');
  const overridden = env.AWS_ENDPOINT_URL_LIGHTSAIL ?? env.AWS_ENDPOINT_URL;
  return overridden ? sandboxEndpointResolver(overridden, 'ssh') : awsEndpointResolver;
}

/** The operations journal every Porthole process of this data folder shares. */
export function journalPath(dataDir: string): string {
  return join(dataDir, 'journal.json');
}

/** The active account in the settings, or a clear error when the settings name one that is gone. */
export function activeAccount(settings: SettingsStore): AccountSettings {
  const current = settings.get();
  const account = current.accounts.find((a) => a.name === current.activeAccount);
  if (!account) {
    throw new PortholeError('usage', `The active account "${current.activeAccount}" is not among the configured accounts.`, {
      fix: 'Run "porthole account use sandbox" or "porthole account use PROFILE".',
    });
  }
  return account;
}

/**
 * The engine for the active account, wired the same way in the app, the
 * CLI and `porthole ui`: the SDK gateway (to AWS, or to the sandbox's
 * lightsail-local), the keychain, the settings file and the shared journal.
 */
export async function openAccountEngine({ dataDir, settings, secrets, sandbox, account: chosen, instanceStatus = true }: AccountEngineOptions): Promise<AccountEngine> {
  const current = settings.get();
  const account = chosen ?? activeAccount(settings);
  if (account.kind === 'sandbox' && !sandbox) throw new PortholeError('internal', 'The Sandbox account needs its lightsail-local endpoint.');
  const cloud: LightsailAccount =
    account.kind === 'sandbox' && sandbox
      ? { region: current.defaultRegion, credentials: async () => sandbox.credentials, endpoint: sandbox.endpoint }
      : { region: current.defaultRegion, credentials: fromIni({ profile: account.kind === 'aws-profile' ? account.profile : account.name }) };
  const gateway = new SdkLightsailGateway(cloud);
  const crashHook = crashHookFromEnv();
  const records = new SettingsWorkspaceRecords(settings);
  const publicIp = () => fetchPublicIp(sandbox && account.kind === 'sandbox' ? `${sandbox.endpoint}/_emulator/ip` : current.ipEchoUrl);
  // Its events go out on the engine's stream, made below.
  const firewall = new FirewallFollower({ account: account.name, gateway, records, publicIp, emit: (event) => engine.events.emit(event) });
  const boxResolver = statusEndpointResolver(account, sandbox);
  const reader = instanceStatusReader({ gateway, resolver: boxResolver });
  const statusSource: InstanceStatusSource = { read: (ref) => firewall.guard(ref, () => reader.read(ref)) };
  const engine: WorkspaceEngine = new WorkspaceEngine({
    account: account.name,
    regions: account.regions,
    defaultRegion: account.regions.includes(current.defaultRegion) ? current.defaultRegion : (account.regions[0] ?? current.defaultRegion),
    gateway,
    records,
    passwords: new KeychainPasswords(secrets),
    journal: await OperationJournal.open(journalPath(dataDir)),
    publicIp,
    launchScript,
    // The user's own layers (settings folder) and a project's count as well as the built-in ones.
    composeLayers: async (names, projectDir) =>
      composeLayers(names, composable(await loadLayerCatalog({ dataDir, ...(projectDir ? { projectDir } : {}) })), '--layers', [ROOT_LAYER]),
    hashPassword,
    generatePassword,
    clock: systemClock,
    resourceTags: { [INSTALLATION_TAG]: installationId(dataDir) },
    ...(crashHook ? { crashHook } : {}),
    ...(instanceStatus ? { instanceStatus: { source: statusSource } } : {}),
    setUpReader: statusSource,
  });
  // Each process adds its engine's events to the history "Export diagnostics" reads.
  const stopHistory = recordEventHistory(engine.events, eventHistoryPath(dataDir));
  return {
    account,
    engine,
    gateway,
    instanceStatus: statusSource,
    firewall,
    boxResolver,
    close: () => {
      stopHistory();
      gateway.close();
    },
  };
}
