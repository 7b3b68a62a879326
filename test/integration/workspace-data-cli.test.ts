import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliWorkspace, PORTHOLE_BIN, porthole, startCliWorkspace } from '../support/porthole-cli.js';
import { until } from '../support/code-server-bin.js';

// Every step runs the real CLI (a few seconds each on a loaded machine) against real sshd and code-server.
vi.setConfig({ testTimeout: 120_000 });

const NAME = 'logbook';

/** porthole logs as a user runs it, on the Sandbox account whose instances run a real sshd and code-server and write a real box's logs. */
describe('porthole logs on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let workspace: CliWorkspace | undefined;

  const onBox = async (script: string) => {
    const run = await porthole(['ssh', NAME, '--', 'sh', '-c', JSON.stringify(script)], env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const keyFolders = async () => (await readdir(env.TMPDIR!)).filter((entry) => entry.startsWith('porthole-ssh-'));

  beforeAll(async () => {
    workspace = await startCliWorkspace(NAME, 'porthole-data-cli-');
    ({ home, emulator } = workspace);
    env = { ...workspace.env, TMPDIR: await mkdtemp(join(home, 'tmp-')) };
  }, 120_000);

  afterAll(async () => {
    await workspace?.close();
  });

  it('prints every log with its source: the provisioning steps, code-server, and the system log with the SSH logins', async () => {
    await onBox('true');
    const run = await porthole(['logs', NAME], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^provision +\S+Z porthole: step 1 of 4: apply the layers$/));
    expect(lines).toContainEqual(expect.stringMatching(/^code-server +\[\S+\] info +HTTP server listening on http:\/\/127\.0\.0\.1:\d+\//));
    expect(lines).toContainEqual(expect.stringMatching(/^system +\S+Z \S+ sshd\[\d+\]: Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: RSA-CERT /));
    // Told as one log, oldest first: the first step is older than code-server's listening line.
    expect(lines.findIndex((line) => line.includes('step 1 of 4'))).toBeLessThan(lines.findIndex((line) => line.includes('HTTP server listening')));
    expect(await keyFolders()).toEqual([]);
  });

  it('--source idle shows what the idle agent said, --json gives one object per line', async () => {
    const warned = await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${NAME}/idle-warning`, { method: 'POST', body: JSON.stringify({ minutes: 30 }) });
    expect(warned.status, await warned.text()).toBe(200);
    const run = await porthole(['--json', 'logs', NAME, '--source', 'idle'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { source: string; text: string; at?: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.source === 'idle')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ text: expect.stringMatching(/idle-agent: idle since \d+: stopping at \d+ unless the workspace is used$/), at: expect.any(String) });
  });

  it('--since leaves out older lines and --lines counts from the end', async () => {
    await onBox(`sed -i '1i 2001-01-01T00:00:00Z porthole: from long ago' "$PORTHOLE_STATE_DIR/launch.log"`);
    const all = await porthole(['logs', NAME, '--source', 'provision', '--lines', 'all'], env);
    expect(all.stdout.split('\n')[0]).toBe('provision   2001-01-01T00:00:00Z porthole: from long ago');
    const recent = await porthole(['logs', NAME, '--source', 'provision', '--since', '1h'], env);
    expect(recent.code, recent.stderr).toBe(0);
    expect(recent.stdout).not.toContain('from long ago');
    expect(recent.stdout).toContain('step 1 of 4: apply the layers');
    const last = await porthole(['logs', NAME, '--source', 'provision', '--lines', '1'], env);
    expect(last.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--follow prints a line written on the box as it comes, until Ctrl-C', async () => {
    const follow = spawn(process.execPath, [PORTHOLE_BIN, 'logs', NAME, '--source', 'provision', '--follow', '--lines', '1'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    follow.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    follow.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follow.once('exit', resolve));
    await until('the last line', async () => (out.includes('\n') ? true : undefined), 30_000);
    await until('the key folder to go once ssh has logged in', async () => ((await keyFolders()).length === 0 ? true : undefined), 10_000);
    await onBox(`echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: written while followed" >>"$PORTHOLE_STATE_DIR/launch.log"`);
    await until('the new line', async () => (out.includes('porthole: written while followed') ? true : undefined), 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; stdout: ${out}; stderr: ${err}`);
    });
    follow.kill('SIGINT');
    expect(await exited, err).toBe(0);
  });

  it('says which sources exist when --source names another, and how to write --since', async () => {
    const wrong = await porthole(['logs', NAME, '--source', 'kernel'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--source "kernel" names no log Porthole knows (kernel)');
    expect(wrong.stderr).toContain('provision, code-server, idle, system');
    const since = await porthole(['logs', NAME, '--since', 'yesterday'], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('"yesterday" is not a duration');
  });
});
