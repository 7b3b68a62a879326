import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { AccountRegistry } from '../../src/core/workspaces/account-registry.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import { SANDBOX_CREDENTIALS, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { activeProfileSettings } from '../support/profile-settings.js';

/**
 * An AWS-profile account whose temporary credentials come from a real
 * credential_process, against lightsail-local. Its credentials stop being
 * accepted mid-session, then a sign-in brings them back.
 */
describe('account credential health', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let registry: AccountRegistry;
  let secrets: KeytarSecretStore;
  const events: WorkspaceEvent[] = [];
  const logged: string[] = [];
  const sessionToken = `session-${randomUUID()}`;
  const saved = { ...process.env };

  const issue = (accessKeyId: string, secretAccessKey: string) =>
    writeFile(join(dir, 'current.json'), JSON.stringify({ AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken }));

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
    emulator = await startEmulator({ timeScale: 200, seed: 11 });
    dir = await mkdtemp(join(tmpdir(), 'porthole-health-'));
    const script = join(dir, 'creds.sh');
    // Short-lived credentials (the SDK asks again before each call), each run counted.
    await writeFile(
      script,
      `#!/bin/sh\necho run >> "${dir}/runs"\nexp=$(date -u -d '+2 min' +%Y-%m-%dT%H:%M:%SZ)\nsed "s/}\\$/,\\"Version\\":1,\\"Expiration\\":\\"$exp\\"}/" "${dir}/current.json"\n`,
    );
    await chmod(script, 0o755);
    await issue(SANDBOX_CREDENTIALS.accessKeyId, SANDBOX_CREDENTIALS.secretAccessKey);
    await writeFile(join(dir, 'config'), `[profile team]\ncredential_process = ${script}\nregion = us-east-1\n`);
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_ENDPOINT_URL_LIGHTSAIL = emulator.endpoint;
    const dataDir = join(dir, 'data');
    const settings = activeProfileSettings(dataDir, 'team', emulator.endpoint);
    secrets = new KeytarSecretStore(`porthole-test-${randomUUID()}`);
    registry = await AccountRegistry.open({ dataDir, settings, secrets });
    registry.get('team').engine.events.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    registry.close();
    for (const account of await secrets.list()) await secrets.delete(account);
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
    process.env = saved;
    vi.restoreAllMocks();
  });

  it('lists each enabled account with a working engine (the Sandbox waits for its emulator)', async () => {
    expect(registry.list().map((a) => a.account.name)).toEqual(['team']);
    const workspace = await registry.get('team').engine.create({ name: 'demo', bundleId: 'small_3_0' });
    expect(workspace.state).toBe('ready');
    registry.startPolling();
  });

  it('expired credentials pause polling, mark the account, and keep the workspaces', async () => {
    const team = registry.get('team');
    await issue('ASIAEXPIREDKEY000001', 'no-longer-valid-secret');
    await team.poller.poke();
    expect(team.poller.isPausedForCredentials()).toBe(true);
    expect(team.health()).toBe('expired');
    const marked = events.filter((e) => e.type === 'account');
    expect(marked).toEqual([expect.objectContaining({ type: 'account', account: 'team', health: 'expired', fix: expect.any(String) })]);
    expect(team.engine.list().map((w) => [w.name, w.state])).toEqual([['demo', 'ready']]);

    // Paused, not backing off: no further call for credentials while nobody signs in.
    const runs = (await readFile(join(dir, 'runs'), 'utf8')).split('\n').length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await readFile(join(dir, 'runs'), 'utf8')).split('\n').length).toBe(runs);
  });

  it('after sign-in the same engine polls again, the workspaces still there', async () => {
    const team = registry.get('team');
    const runsBefore = (await readFile(join(dir, 'runs'), 'utf8')).split('\n').length;
    await issue(SANDBOX_CREDENTIALS.accessKeyId, SANDBOX_CREDENTIALS.secretAccessKey);
    expect(await registry.signedIn('team')).toBe('ok');
    expect((await readFile(join(dir, 'runs'), 'utf8')).split('\n').length).toBeGreaterThan(runsBefore);
    expect(team.poller.isPausedForCredentials()).toBe(false);
    expect(events.filter((e) => e.type === 'account').map((e) => (e.type === 'account' ? e.health : ''))).toEqual(['expired', 'ok']);
    expect(team.engine.list().map((w) => [w.name, w.state])).toEqual([['demo', 'ready']]);
    // Still the same engine: it stops the workspace it made before the expiry.
    expect((await team.engine.stop('demo')).state).toBe('stopped');
  });

  it('no key, secret or session token in the data dir or the logs', async () => {
    const secretsSeen = [SANDBOX_CREDENTIALS.secretAccessKey, 'no-longer-valid-secret', sessionToken];
    for (const entry of await readdir(join(dir, 'data'), { recursive: true })) {
      const path = join(dir, 'data', String(entry));
      if (!(await stat(path)).isFile()) continue;
      const text = await readFile(path, 'utf8');
      for (const secret of secretsSeen) expect(text.includes(secret), path).toBe(false);
    }
    const output = [...logged, ...events.map((e) => JSON.stringify(e))].join('\n');
    for (const secret of secretsSeen) expect(output.includes(secret)).toBe(false);
  });
});
