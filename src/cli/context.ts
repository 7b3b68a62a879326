import { fromIni } from '@aws-sdk/credential-providers';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/cloud/clock.js';
import { SdkLightsailGateway } from '../core/cloud/sdk-lightsail-gateway.js';
import type { LightsailAccount } from '../core/cloud/lightsail-client.js';
import { PortholeError } from '../core/errors.js';
import { launchScript } from '../core/provision/launch-script.js';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store.js';
import { generatePassword, hashPassword } from '../core/secrets/password.js';
import { SettingsStore } from '../core/settings/settings-store.js';
import { crashHookFromEnv } from '../core/workspaces/crash-points.js';
import { KeychainPasswords } from '../core/workspaces/keychain-passwords.js';
import { OperationJournal } from '../core/workspaces/operation-journal.js';
import { SettingsWorkspaceRecords } from '../core/workspaces/settings-workspace-records.js';
import { WorkspaceEngine } from '../core/workspaces/workspace-engine.js';
import { fetchPublicIp } from '../core/workspaces/public-ip.js';
import type { CliIo } from './cli-io.js';
import { connectSandbox } from './sandbox-account.js';

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
}

export interface CliContext {
  json: boolean;
  dataDir: string;
  settings: SettingsStore;
  engine: WorkspaceEngine;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORTHOLE_HOME ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'porthole');
}

/**
 * Opens everything a workspace command needs for the active account, runs
 * it, and closes it again. Before the command, operations a crashed earlier
 * run left unfinished are carried through, so the command sees a settled
 * world.
 */
export async function withContext(options: GlobalOptions, io: CliIo, action: (ctx: CliContext) => Promise<void>): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir);
  const current = settings.get();
  const account = current.accounts.find((a) => a.name === current.activeAccount);
  if (!account) {
    throw new PortholeError('usage', `The active account "${current.activeAccount}" is not among the configured accounts.`, {
      fix: 'Run "porthole account use sandbox" or "porthole account use PROFILE".',
    });
  }
  const sandbox = account.kind === 'sandbox' ? await connectSandbox(dataDir) : undefined;
  const cloud: LightsailAccount = sandbox
    ? { region: current.defaultRegion, credentials: async () => sandbox.credentials, endpoint: sandbox.endpoint }
    : { region: current.defaultRegion, credentials: fromIni({ profile: account.kind === 'aws-profile' ? account.profile : account.name }) };
  const gateway = new SdkLightsailGateway(cloud);
  const crashHook = crashHookFromEnv();
  const engine = new WorkspaceEngine({
    account: account.name,
    regions: account.regions,
    defaultRegion: account.regions.includes(current.defaultRegion) ? current.defaultRegion : (account.regions[0] ?? current.defaultRegion),
    gateway,
    records: new SettingsWorkspaceRecords(settings),
    passwords: new KeychainPasswords(new KeytarSecretStore()),
    journal: await OperationJournal.open(join(dataDir, 'journal.json')),
    publicIp: () => fetchPublicIp(sandbox ? `${sandbox.endpoint}/_emulator/ip` : current.ipEchoUrl),
    launchScript,
    hashPassword,
    generatePassword,
    clock: systemClock,
    ...(crashHook ? { crashHook } : {}),
  });
  try {
    const recovery = await engine.recover((progress) => {
      if (!options.json) io.stderr.write(`finishing an interrupted ${progress.kind}: [${progress.index}/${progress.total}] ${progress.step}\n`);
    });
    for (const failure of recovery.failed) io.stderr.write(`porthole: could not finish an interrupted operation on "${failure.name}": ${failure.message}\n`);
    await engine.refresh();
    await action({ json: options.json === true, dataDir, settings, engine });
  } finally {
    gateway.close();
    await sandbox?.release();
  }
}
