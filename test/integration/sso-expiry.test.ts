import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRegionsCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssoLogin, type DeviceSignInPrompt } from '../../src/core/credentials/sso-login.js';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { AccountRegistry } from '../../src/core/workspaces/account-registry.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { identityEndpointEnv, SSO_WORK_PROFILE } from '../support/sso-profile.js';
import { activeProfileSettings } from '../support/profile-settings.js';

/** An IAM Identity Center account on lightsail-local: sign in, work, the sign-in expires, sign in again. */
describe('SSO account expiring mid-session', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let registry: AccountRegistry;
  let secrets: KeytarSecretStore;
  const events: WorkspaceEvent[] = [];
  const saved = { ...process.env };

  const signIn = () =>
    ssoLogin({
      profile: 'work',
      openUrl: async (prompt: DeviceSignInPrompt) => {
        await fetch(`${emulator.identityEndpoint}/_emulator/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode: prompt.userCode }) });
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 300))),
    });

  beforeAll(async () => {
    // Role credentials shorter than the SDK's refresh window, so each call asks the portal as a long session eventually does.
    emulator = await startEmulator({ timeScale: 200, seed: 13, identity: { intervalSeconds: 1, roleCredentialSeconds: 60 } });
    dir = await mkdtemp(join(tmpdir(), 'porthole-sso-expiry-'));
    await writeFile(
      join(dir, 'config'),
      [
        ...SSO_WORK_PROFILE,
        '',
      ].join('\n'),
    );
    Object.assign(process.env, {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      ...identityEndpointEnv(emulator.identityEndpoint),
      AWS_ENDPOINT_URL_LIGHTSAIL: emulator.endpoint,
    });
    await signIn();
    const dataDir = join(dir, 'data');
    const settings = activeProfileSettings(dataDir, 'work', emulator.endpoint);
    secrets = new KeytarSecretStore(`porthole-test-${randomUUID()}`);
    registry = await AccountRegistry.open({ dataDir, settings, secrets });
    registry.get('work').engine.events.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    registry.close();
    for (const account of await secrets.list()) await secrets.delete(account);
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
    process.env = saved;
  });

  it('Lightsail refuses portal credentials once they expire, with ExpiredTokenException', async () => {
    const token = await fetch(`${emulator.identityEndpoint}/federation/credentials?role_name=Developer&account_id=111122223333`, {
      headers: { 'x-amz-sso_bearer_token': 'not-a-token' },
    });
    expect(token.status).toBe(401);
    const { fromIni } = await import('@aws-sdk/credential-providers');
    const credentials = await fromIni({ profile: 'work' })();
    const client = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials, maxAttempts: 1 });
    expect((await client.send(new GetRegionsCommand({}))).regions?.length).toBeGreaterThan(0);
    const forged = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: { ...credentials, sessionToken: 'forged' }, maxAttempts: 1 });
    await expect(forged.send(new GetRegionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await fetch(`${emulator.identityEndpoint}/_emulator/sso/expire`, { method: 'POST' });
    await expect(client.send(new GetRegionsCommand({}))).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    client.destroy();
    forged.destroy();
    await signIn();
  });

  it('the expiry pauses the account with its workspaces; signing in again resumes the same engine', async () => {
    const work = registry.get('work');
    expect((await work.engine.create({ name: 'demo', bundleId: 'small_3_0' })).state).toBe('ready');
    registry.startPolling();

    await fetch(`${emulator.identityEndpoint}/_emulator/sso/expire`, { method: 'POST' });
    await work.poller.poke();
    expect(work.poller.isPausedForCredentials()).toBe(true);
    const expired = events.find((e) => e.type === 'account');
    expect(expired).toMatchObject({ account: 'work', health: 'expired', fix: expect.stringContaining('porthole login') });
    expect(work.engine.list().map((w) => [w.name, w.state])).toEqual([['demo', 'ready']]);

    await signIn();
    expect(await registry.signedIn('work')).toBe('ok');
    expect(events.filter((e) => e.type === 'account').map((e) => (e.type === 'account' ? e.health : ''))).toEqual(['expired', 'ok']);
    expect(work.engine.list().map((w) => [w.name, w.state])).toEqual([['demo', 'ready']]);
    expect((await work.engine.stop('demo')).state).toBe('stopped');
  });
});
