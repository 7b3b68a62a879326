import { SANDBOX_ACCOUNT } from '../../src/core/settings/settings-schema.js';
import { SettingsStore } from '../../src/core/settings/settings-store.js';

/**
 * Porthole's settings in `dataDir` with the Sandbox and the AWS profile
 * `profile` (in us-east-1), the profile active, and the caller's address
 * asked of lightsail-local at `endpoint` so a workspace can be created.
 */
export function activeProfileSettings(dataDir: string, profile: string, endpoint: string): SettingsStore {
  const settings = new SettingsStore(dataDir);
  settings.set('accounts', [
    { name: SANDBOX_ACCOUNT, kind: 'sandbox', regions: ['us-east-1'] },
    { name: profile, kind: 'aws-profile', profile, regions: ['us-east-1'] },
  ]);
  settings.set('activeAccount', profile);
  settings.set('ipEchoUrl', `${endpoint}/_emulator/ip`);
  return settings;
}
