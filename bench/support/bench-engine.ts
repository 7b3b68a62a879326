import { systemClock } from '../../src/core/cloud/clock.js';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import { launchScript } from '../../src/core/provision/launch-script.js';
import type { SecretStore } from '../../src/core/secrets/secret-store.js';
import { generatePassword, hashPassword } from '../../src/core/secrets/password.js';
import type { SettingsStore } from '../../src/core/settings/settings-store.js';
import type { EngineDependencies } from '../../src/core/workspaces/engine-ports.js';
import { KeychainPasswords } from '../../src/core/workspaces/keychain-passwords.js';
import type { OperationJournal } from '../../src/core/workspaces/operation-journal.js';
import { SettingsWorkspaceRecords } from '../../src/core/workspaces/settings-workspace-records.js';
import { WorkspaceEngine } from '../../src/core/workspaces/workspace-engine.js';
import { MemorySecretStore } from './memory-secret-store.js';

/**
 * The Sandbox account's engine as the benchmarks run it: the real engine
 * over the given gateway, settings and journal, passwords in memory (a
 * benchmark measures the engine, not the keychain), SSH opened to loopback.
 */
export function benchEngine(parts: {
  regions: string[];
  gateway: LightsailGateway;
  settings: SettingsStore;
  journal: OperationJournal;
  secrets?: SecretStore;
  extra?: Partial<EngineDependencies>;
}): WorkspaceEngine {
  return new WorkspaceEngine({
    account: 'sandbox',
    regions: parts.regions,
    defaultRegion: parts.regions[0]!,
    gateway: parts.gateway,
    records: new SettingsWorkspaceRecords(parts.settings),
    passwords: new KeychainPasswords(parts.secrets ?? new MemorySecretStore()),
    journal: parts.journal,
    publicIp: async () => '127.0.0.1',
    launchScript,
    hashPassword,
    generatePassword,
    clock: systemClock,
    ...parts.extra,
  });
}
