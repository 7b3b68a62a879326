import { CreateInstancesCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

/**
 * `porthole ls --all-accounts`: the Sandbox and an AWS profile (a second
 * lightsail-local standing in for its account) listed together, and a profile
 * whose credentials fail named with the reason, without hiding the others.
 */
describe('porthole ls --all-accounts', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let sandbox: { stop(): Promise<void> };
  let team: RunningEmulator;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-all-accounts-'));
    team = await startEmulator({ timeScale: 200, seed: 5 });
    // A workspace made from another computer: the engine finds it by its tags.
    await new LightsailClient({ region: 'us-east-1', endpoint: team.endpoint, credentials: SANDBOX_CREDENTIALS }).send(
      new CreateInstancesCommand({
        instanceNames: ['teamwork'],
        availabilityZone: 'us-east-1a',
        blueprintId: 'ubuntu_24_04',
        bundleId: 'small_3_0',
        tags: [
          { key: 'porthole:managed', value: 'true' },
          { key: 'porthole:workspace', value: 'teamwork' },
        ],
      }),
    );
    await writeFile(join(home, 'config'), ['[profile team]', 'region = us-east-1', '[profile broken]', 'credential_process = /bin/false', 'region = us-east-1', ''].join('\n'));
    await writeFile(
      join(home, 'credentials'),
      ['[team]', `aws_access_key_id = ${SANDBOX_CREDENTIALS.accessKeyId}`, `aws_secret_access_key = ${SANDBOX_CREDENTIALS.secretAccessKey}`, ''].join('\n'),
    );
    env = {
      HOME: home,
      PORTHOLE_HOME: join(home, 'porthole'),
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ENDPOINT_URL_LIGHTSAIL: team.endpoint,
    };
    sandbox = await startSandboxEmulator(env, 200);
    const created = await porthole(['create', 'mine'], env);
    expect(created.code, created.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await porthole(['delete', 'mine', '--yes'], env);
    await sandbox?.stop();
    await team?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('lists every enabled account, names the one it cannot list with why, and fails so a script notices', async () => {
    for (const account of ['team', 'broken']) expect((await porthole(['account', 'enable', account], env)).code).toBe(0);
    const run = await porthole(['ls', '--all-accounts'], env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/^ACCOUNT\s+NAME\s+STATE/m);
    expect(run.stdout).toMatch(/^sandbox\s+mine\s+ready/m);
    expect(run.stdout).toMatch(/^team\s+teamwork\s+/m);
    expect(run.stdout).not.toMatch(/^broken/m);
    expect(run.stderr).toMatch(/account broken could not be listed/);
    expect(run.stderr).toMatch(/1 of 3 accounts could not be listed: broken/);
    // The plain list is still the active account's alone.
    const active = await porthole(['ls'], env);
    expect(active.stdout).toMatch(/^mine\s/m);
    expect(active.stdout).not.toContain('teamwork');
  }, 60_000);

  it('answers scripts with each account listed or not, and succeeds once every enabled account is listed', async () => {
    expect((await porthole(['account', 'disable', 'broken'], env)).code).toBe(0);
    const run = await porthole(['--json', 'ls', '--all-accounts'], env);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { workspaces: Array<{ name: string; account: string }>; accounts: unknown[] };
    expect(answer.workspaces.map((w) => [w.account, w.name]).sort()).toEqual([
      ['sandbox', 'mine'],
      ['team', 'teamwork'],
    ]);
    expect(answer.accounts).toEqual([
      { name: 'sandbox', listed: true, count: 1 },
      { name: 'team', listed: true, count: 1 },
    ]);
  }, 60_000);

  it('--account acts on a workspace of an enabled account other than the active one, with --json, without switching', async () => {
    const stop = await porthole(['--json', '--account', 'team', 'stop', 'teamwork'], env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject({ name: 'teamwork', account: 'team', state: 'stopped' });
    const hibernate = await porthole(['--json', '--account', 'team', 'hibernate', 'teamwork'], env);
    expect(hibernate.code, hibernate.stderr).toBe(0);
    expect(JSON.parse(hibernate.stdout)).toMatchObject({ name: 'teamwork', account: 'team', state: 'hibernated' });
    // The active account is still the Sandbox.
    const active = await porthole(['--json', 'ls'], env);
    expect((JSON.parse(active.stdout) as Array<{ name: string }>).map((w) => w.name)).toEqual(['mine']);
    const unknown = await porthole(['--account', 'nobody', 'stop', 'teamwork'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no account "nobody"');
  }, 60_000);
});
