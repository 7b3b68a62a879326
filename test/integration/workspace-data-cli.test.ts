import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliWorkspace, PORTHOLE_BIN, porthole, startCliWorkspace } from '../support/porthole-cli.js';
import { until } from '../support/code-server-bin.js';

// Every step runs the real CLI (a few seconds each on a loaded machine) against real sshd and code-server.
vi.setConfig({ testTimeout: 120_000 });

const NAME = 'logbook';

/** porthole logs, cp and diagnostics as a user runs them, on the Sandbox account whose instances run a real sshd and code-server and write a real box's logs. */
describe('porthole logs, cp and diagnostics on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let workspace: CliWorkspace | undefined;

  const onBox = async (script: string) => {
    // ssh hands the words to the box's shell: the script goes in single quotes so that shell leaves it whole.
    const run = await porthole(['ssh', NAME, '--', 'sh', '-c', `'${script.replaceAll("'", `'\\''`)}'`], env);
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
    await until('the key folder to go once ssh has logged in', async () => ((await keyFolders()).length === 0 ? true : undefined), 30_000);
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

  it('porthole cp copies a folder to the workspace with rsync, and back with scp into an existing folder', async () => {
    const data = join(home, 'data');
    await mkdir(join(data, 'nested'), { recursive: true });
    await writeFile(join(data, 'nested', 'notes.txt'), 'hello from here\n');
    await writeFile(join(data, 'blob.bin'), randomBytes(200_000));
    const onBox = join(home, 'data-on-box');
    const up = await porthole(['cp', data, `${NAME}:${onBox}`], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^Copied 2 files \\(195 KB\\) to ${NAME}:${onBox} in \\d+\\.\\d s with rsync\\.\\n$`));
    expect(await readFile(join(onBox, 'nested', 'notes.txt'), 'utf8')).toBe('hello from here\n');

    const back = join(home, 'back');
    await mkdir(back);
    const down = await porthole(['--json', 'cp', `${NAME}:${onBox}`, back], { ...env, PORTHOLE_COPY_TOOL: 'scp' });
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ tool: 'scp', upload: false, copiedTo: join(back, 'data-on-box'), files: 2, bytes: 200_016 });
    expect(await readFile(join(back, 'data-on-box', 'blob.bin'))).toEqual(await readFile(join(data, 'blob.bin')));
    expect(await keyFolders()).toEqual([]);
  });

  it("porthole cp reaches the workspace user's home as ~ with either tool", async () => {
    const file = join(home, 'one.txt');
    await writeFile(file, 'one file\n');
    const remote = `~/porthole-cp-${process.pid}.txt`;
    const up = await porthole(['cp', file, `${NAME}:${remote}`, '--tool', 'scp'], env);
    expect(up.code, up.stderr).toBe(0);
    const down = await porthole(['cp', `${NAME}:${remote}`, join(home, 'one-back.txt')], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('with rsync');
    expect(await readFile(join(home, 'one-back.txt'), 'utf8')).toBe('one file\n');
    await onBox(`rm -f "$HOME/porthole-cp-${process.pid}.txt"`);
  });

  it('porthole cp says what is wrong with a path before copying anything', async () => {
    const missing = await porthole(['cp', `${NAME}:/nonexistent/porthole`, join(home, 'nothing')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`There is no file or folder at /nonexistent/porthole on ${NAME}`);
    const local = await porthole(['cp', './a', './b'], env);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('Neither side of the copy is a workspace');
  });

  it('porthole diagnostics writes one archive with the record, events, logs and versions, and no password, hash, key or token', async () => {
    const password = (await porthole(['password', NAME], env)).stdout.trim();
    expect(password.length).toBeGreaterThan(8);
    const codeServerConfig = await readFile(join(env.PORTHOLE_HOME!, 'sandbox', 'instances', 'us-east-1', NAME, 'code-server', 'config.yaml'), 'utf8');
    const hash = /hashed-password: '([^']+)'/.exec(codeServerConfig)![1]!;
    const awsKey = 'AKIA' + 'QWERTYUIOPASDFGH';
    // Secrets a careless step could print into the box's logs, among ordinary lines.
    await onBox(
      [
        `echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: step note: password ${password} hash "'${hash}' >>"$PORTHOLE_STATE_DIR/launch.log"`,
        `echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) porthole: aws_access_key_id=${awsKey} token=s3cr3t-t0ken-value" >>"$PORTHOLE_STATE_DIR/launch.log"`,
        `printf '%s\\n' '-----BEGIN OPENSSH PRIVATE KEY-----' 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU' '-----END OPENSSH PRIVATE KEY-----' >>"$PORTHOLE_STATE_DIR/code-server.log"`,
      ].join('; '),
    );
    const out = join(home, 'diag.tar.gz');
    const run = await porthole(['--json', 'diagnostics', NAME, '-o', out], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ path: out });
    const unpacked = await mkdtemp(join(home, 'unpacked-'));
    execFileSync('tar', ['-xzf', out, '-C', unpacked]);
    const [folder] = await readdir(unpacked);
    expect(folder).toMatch(new RegExp(`^porthole-diagnostics-${NAME}-\\d{8}T\\d{6}Z$`));
    const root = join(unpacked, folder!);
    expect((await readdir(root)).sort()).toEqual(['events.ndjson', 'logs', 'versions.json', 'workspace.json']);
    expect(JSON.parse(await readFile(join(root, 'workspace.json'), 'utf8'))).toMatchObject({ name: NAME, state: 'ready', region: 'us-east-1' });
    expect(await readFile(join(root, 'events.ndjson'), 'utf8')).toMatch(/"workspace":"logbook".*"detail":"creating -> /);
    expect(JSON.parse(await readFile(join(root, 'versions.json'), 'utf8'))).toMatchObject({ node: process.version, ssh: expect.stringContaining('OpenSSH'), 'code-server': expect.stringMatching(/^4\.100\.3/), 'box-os': expect.any(String) });
    const provision = await readFile(join(root, 'logs', 'provision.log'), 'utf8');
    expect(provision).toContain('step 1 of 4: apply the layers');
    expect(provision).toContain('porthole: step note: password [redacted] hash [redacted]');
    // grep exits 1 when nothing in the whole archive matches any of them.
    const found = spawnSync('grep', ['-r', '-n', '-F', '-e', password, '-e', hash, '-e', awsKey, '-e', 's3cr3t-t0ken-value', '-e', 'b3BlbnNzaC1rZXktdjE', '-e', 'PRIVATE KEY', root], { encoding: 'utf8' });
    expect(found.stdout).toBe('');
    expect(found.status).toBe(1);
  });
});
