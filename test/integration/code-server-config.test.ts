import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchScript } from '../../src/core/provision/launch-script.js';
import { hashPassword } from '../../src/core/secrets/password.js';

const INSTALLER = fileURLToPath(new URL('../../scripts/install-code-server.mjs', import.meta.url));

/** The cached code-server, installed on first use; a failed install fails the suite with its reason. */
function codeServerBin(): string {
  const run = spawnSync(process.execPath, [INSTALLER, '--json'], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (run.status !== 0) throw new Error(`code-server could not be installed for this suite:\n${run.stderr.trim().split('\n').slice(-15).join('\n')}`);
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { bin: string }).bin;
}

/** The config.yaml heredoc exactly as the launch script writes it on the instance. */
function configBlock(script: string): string {
  const match = /cat >\/etc\/porthole\/code-server\.yaml <<'PORTHOLE_CONFIG'\n([\s\S]*?)\nPORTHOLE_CONFIG\n/.exec(script);
  if (!match) throw new Error('the launch script has no code-server config block');
  return `${match[1]}\n`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the launch script\'s code-server config, on a real code-server', () => {
  let dir: string;
  let password: string;
  let child: ChildProcess | undefined;
  let origin: string;
  let output = '';

  beforeAll(async () => {
    const bin = codeServerBin();
    dir = await mkdtemp(join(tmpdir(), 'porthole-code-server-'));
    password = `pw-${randomBytes(12).toString('base64url')}`;
    const { script } = buildLaunchScript({ passwordHash: await hashPassword(password), accessMode: 'tunnel', idleTimeoutMinutes: 60 });
    expect(script).not.toContain(password);
    const config = configBlock(script);
    expect(config.split('\n')[0]).toBe('bind-addr: 127.0.0.1:8080');
    // Port 8080 may be taken on this machine; the instance has it to itself. Only the port changes.
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    await writeFile(join(dir, 'config.yaml'), config.replace('bind-addr: 127.0.0.1:8080', `bind-addr: 127.0.0.1:${port}`));
    await mkdir(join(dir, 'ud', 'User'), { recursive: true });
    await writeFile(join(dir, 'ud', 'User', 'settings.json'), '{"workbench.startupEditor":"none","security.workspace.trust.enabled":false}');
    await mkdir(join(dir, 'ws'));
    child = spawn(bin, ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext'), '--disable-workspace-trust', join(dir, 'ws')], {
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
      const healthy = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
      if (healthy) break;
      if (Date.now() > deadline) throw new Error(`code-server did not answer on ${origin} within 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 16 * 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const login = (candidate: string) =>
    fetch(`${origin}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: candidate, base: '.', href: `${origin}/` }).toString(),
    });

  it('listens on loopback and asks for the password', async () => {
    const response = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(/login/);
    expect(output).toContain(`HTTP server listening on ${origin}`);
    expect(output).toMatch(/Authentication is enabled/);
  });

  it('rejects a wrong password', async () => {
    const response = await login(`${password}-wrong`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Incorrect password');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('accepts the generated password and opens a session', async () => {
    const response = await login(password);
    expect(response.status).toBe(302);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^code-server-session=/);
    const session = { cookie: cookie.split(';')[0]! };
    // Signed in, / goes on to the workspace folder instead of back to the login page.
    const home = await fetch(`${origin}/`, { redirect: 'manual', headers: session });
    expect(home.headers.get('location') ?? '').not.toMatch(/login/);
    const workbench = await fetch(new URL(home.headers.get('location') ?? '/', `${origin}/`), { redirect: 'manual', headers: session });
    expect(workbench.status).toBe(200);
    expect(await workbench.text()).toMatch(/workbench/i);
  });
});
