import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import type { Workspace } from '../../src/shared/workspace.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

/**
 * The `porthole` binary as a user and a script meet it, on a fresh data
 * folder: no AWS account, so the Sandbox account; the real keychain.
 */
describe('porthole CLI on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-cli-'));
    env = { PORTHOLE_HOME: home };
    emulator = await startSandboxEmulator(env, 20);
  });
  afterAll(async () => {
    await porthole(['delete', 'demo', '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('starts empty and says how to begin', async () => {
    const run = await porthole(['ls'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No workspaces in account sandbox');
    expect(JSON.parse((await porthole(['--json', 'ls'], env)).stdout)).toEqual([]);
  });

  it('refuses a bad name with exit code 2 and a message that says how to fix it, making nothing', async () => {
    const run = await porthole(['create', 'My_Box'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/uppercase "M" at position 1/);
    expect(run.stderr).toMatch(/for example "my-box"/);
    expect(JSON.parse((await porthole(['--json', 'ls'], env)).stdout)).toEqual([]);
  });

  it('creates a workspace, printing each step as a plain line when there is no terminal', async () => {
    const run = await porthole(['create', 'demo'], env);
    expect(run.stderr, run.stderr).toMatch(/create demo: \[1\/6\] store the password in the keychain/);
    expect(run.stderr).toMatch(/create demo: \[6\/6\] open SSH to this computer only/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Workspace "demo" is ready at \d+\.\d+\.\d+\.\d+/);

    const listed = JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[];
    expect(listed).toEqual([expect.objectContaining({ name: 'demo', state: 'ready', account: 'sandbox', bundleId: 'small_3_0', hasPassword: true })]);
    const table = (await porthole(['ls'], env)).stdout;
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATE\s+REGION\s+BUNDLE\s+IP\s+PER MONTH$/);
    expect(table).toMatch(/demo\s+ready\s+us-east-1\s+small_3_0/);
  });

  it('prints the password from the keychain only when asked, and never writes it to the settings', async () => {
    const run = await porthole(['password', 'demo'], env);
    expect(run.code).toBe(0);
    const password = run.stdout.trim();
    expect(await new KeytarSecretStore().get('sandbox/us-east-1/demo')).toBe(password);
    expect(await readFile(join(home, 'settings.json'), 'utf8')).not.toContain(password);
    expect(await readFile(join(home, 'journal.json'), 'utf8').catch(() => '')).not.toContain(password);
  });

  it('stops, says what hibernating would save, hibernates and resumes', async () => {
    expect((await porthole(['stop', 'demo'], env)).code).toBe(0);
    const cost = JSON.parse((await porthole(['--json', 'cost'], env)).stdout) as { totalMonthlyUsd: number; hibernationSavingsMonthlyUsd: number };
    expect(cost.totalMonthlyUsd).toBe(12);
    expect(cost.hibernationSavingsMonthlyUsd).toBeGreaterThan(5);

    const hibernate = await porthole(['hibernate', 'demo'], env);
    expect(hibernate.code, hibernate.stderr).toBe(0);
    expect(hibernate.stderr).toMatch(/Stopped, "demo" costs \$12\.00\/month; hibernated with its static IP kept, \$\d+\.\d\d\/month/);
    const status = JSON.parse((await porthole(['--json', 'status', 'demo'], env)).stdout) as Workspace;
    expect(status.state).toBe('hibernated');

    expect((await porthole(['resume', 'demo'], env)).code).toBe(0);
    expect((JSON.parse((await porthole(['--json', 'status', 'demo'], env)).stdout) as Workspace).state).toBe('ready');
  });

  it('asks before deleting, and without a terminal insists on --yes', async () => {
    const run = await porthole(['delete', 'demo'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Add --yes to confirm/);
    expect((JSON.parse((await porthole(['--json', 'status', 'demo'], env)).stdout) as Workspace).state).toBe('ready');
  });

  it('answers mistakes with exit code 2: unknown workspace, wrong state, unknown profile', async () => {
    const missing = await porthole(['status', 'nope'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/There is no workspace "nope"/);
    const wrong = await porthole(['--json', 'resume', 'demo'], env);
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout)).toEqual({ error: expect.objectContaining({ kind: 'wrong-state' }) });
    const profile = await porthole(['account', 'use', 'no-such-profile'], { ...env, AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') });
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/There is no AWS profile "no-such-profile"/);
  });

  it('deletes with --yes and leaves nothing behind', async () => {
    const run = await porthole(['delete', 'demo', '--yes'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse((await porthole(['--json', 'ls'], env)).stdout)).toEqual([]);
    expect(await new KeytarSecretStore().get('sandbox/us-east-1/demo')).toBeUndefined();
  });
});
