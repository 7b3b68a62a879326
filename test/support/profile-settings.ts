import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SANDBOX_ACCOUNT } from '../../src/core/settings/settings-schema.js';
import { SANDBOX_CREDENTIALS } from '../../src/emulator/index.js';
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

/**
 * The shared AWS config and credentials files in `home` with the profile
 * `profile` (us-east-1) holding lightsail-local's static keys, so a second
 * lightsail-local (AWS_ENDPOINT_URL_LIGHTSAIL) can stand in for its account.
 * Returns the variables that point the SDK at them.
 */
export async function writeStaticProfile(home: string, profile: string): Promise<{ AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string }> {
  const files = { AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') };
  await writeFile(files.AWS_CONFIG_FILE, [`[profile ${profile}]`, 'region = us-east-1', ''].join('\n'));
  await writeFile(files.AWS_SHARED_CREDENTIALS_FILE, [`[${profile}]`, `aws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}`, `aws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}`, ''].join('\n'));
  return files;
}
