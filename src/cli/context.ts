import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../core/settings/settings-store.js';
import { PortholeError } from '../core/errors.js';
import type { AccountSettings } from '../core/settings/settings-schema.js';
import { activeAccount, openAccountEngine } from '../core/workspaces/account-engine.js';
import type { WorkspaceEngine } from '../core/workspaces/workspace-engine.js';
import { type FirewallFollowed, type FirewallFollower, firewallFollowedMessage } from '../core/workspaces/firewall-follow.js';
import type { LightsailGateway } from '../core/cloud/lightsail-gateway.js';
import type { InstanceStatusSource } from '../core/workspaces/engine-ports.js';
import type { CliIo } from './cli-io.js';
import { connectSandbox, type SandboxConnection } from './sandbox-account.js';

export interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
  /** An enabled account to act in instead of the active one, without switching. */
  account?: string;
}

export interface CliContext {
  json: boolean;
  dataDir: string;
  settings: SettingsStore;
  engine: WorkspaceEngine;
  /** The engine's own gateway, for calls outside the lifecycle (SSH access). */
  gateway: LightsailGateway;
  /** The Sandbox account's lightsail-local endpoint, when that is the active account. */
  sandboxEndpoint?: string;
  /** Asks a running instance about itself (one ssh run): `porthole status`. */
  instanceStatus: InstanceStatusSource;
  /** Follows this computer's address in a workspace's SSH rule when a tunnel cannot connect. */
  firewall: FirewallFollower;
  /** The SSH rules this command had to move to this computer's new address (each also said on stderr). */
  firewallFollowed: FirewallFollowed[];
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORTHOLE_HOME ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'porthole');
}

export interface OpenedEngine extends CliContext {
  close(): Promise<void>;
}

/**
 * The engine of the active account (or the one --account names) with everything it stands on, after
 * carrying through what a crashed earlier run left unfinished. Used by the
 * one-shot commands and by long-running ones (`porthole ui`, the app).
 * `readInstances` has the engine read running instances' own status as the
 * dashboard does, for a command that keeps it open (`porthole ls --watch`).
 */
export async function openEngine(options: GlobalOptions, io: CliIo, { readInstances = false }: { readInstances?: boolean } = {}): Promise<OpenedEngine> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir);
  const account = options.account === undefined ? activeAccount(settings) : configuredAccount(settings, options.account);
  const sandbox: SandboxConnection | undefined = account.kind === 'sandbox' ? await connectSandbox(dataDir) : undefined;
  try {
    const opened = await openAccountEngine({ dataDir, settings, secrets: new KeytarSecretStore(), account, instanceStatus: readInstances, ...(sandbox ? { sandbox } : {}) });
    const firewallFollowed: FirewallFollowed[] = [];
    const stopSaying = opened.engine.events.subscribe((event) => {
      if (event.type !== 'firewall-followed') return;
      firewallFollowed.push(event);
      const { type: _type, ...moved } = event;
      io.stderr.write(options.json ? `${JSON.stringify({ event: 'firewall-followed', ...moved })}\n` : `porthole: ${firewallFollowedMessage(event).title} (it let in ${event.from ?? 'another address'} before).\n`);
    });
    const close = async () => {
      stopSaying();
      opened.close();
      await sandbox?.release();
    };
    try {
      const recovery = await opened.engine.recover((progress) => {
        if (!options.json) io.stderr.write(`finishing an interrupted ${progress.kind}: [${progress.index}/${progress.total}] ${progress.step}\n`);
      });
      for (const failure of recovery.failed) io.stderr.write(`porthole: could not finish an interrupted operation on "${failure.name}": ${failure.message}\n`);
      await opened.engine.refresh();
    } catch (error) {
      await close();
      throw error;
    }
    return { json: options.json === true, dataDir, settings, engine: opened.engine, gateway: opened.gateway, instanceStatus: opened.instanceStatus, firewall: opened.firewall, firewallFollowed, ...(sandbox ? { sandboxEndpoint: sandbox.endpoint } : {}), close };
  } catch (error) {
    await sandbox?.release();
    throw error;
  }
}

/** The account `--account` names, which must be configured; the active account stays as it is. */
function configuredAccount(settings: SettingsStore, name: string): AccountSettings {
  const { accounts } = settings.get();
  const found = accounts.find((a) => a.name === name);
  if (!found) {
    throw new PortholeError('usage', `--account ${name}: there is no account "${name}" in Porthole's settings.`, {
      fix: `Add it with "porthole account enable ${name}", or use one of: ${accounts.map((a) => a.name).join(', ')}.`,
    });
  }
  return found;
}

/** Opens the engine, runs one command with it, and closes it again. */
export async function withContext(options: GlobalOptions, io: CliIo, action: (ctx: CliContext) => Promise<void>): Promise<void> {
  const opened = await openEngine(options, io);
  try {
    await action(opened);
  } finally {
    await opened.close();
  }
}
