import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorkspace, PORTHOLE_BIN, porthole, startCliWorkspace } from '../support/porthole-cli.js';

const NAME = 'reachable';

/** porthole open, porthole ssh and porthole ssh-config as a user runs them, on the Sandbox account with real sshd and code-server. */
describe('porthole open, ssh and ssh-config on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let open: ChildProcess | undefined;
  let workspace: CliWorkspace | undefined;

  beforeAll(async () => {
    workspace = await startCliWorkspace(NAME, 'porthole-access-cli-');
    ({ home, env } = workspace);
  }, 120_000);

  afterAll(async () => {
    open?.kill('SIGTERM');
    await workspace?.close();
  });

  it('porthole ssh runs a command on the workspace with a fresh certificate', async () => {
    const run = await porthole(['ssh', NAME, '--', 'echo', 'inside'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('inside');
    // The remote command's exit status is porthole's, as with ssh, so scripts can test it.
    const failed = await porthole(['ssh', NAME, '--', 'sh', '-c', "'exit 7'"], env);
    expect(failed.code, failed.stderr).toBe(7);
  });

  it('porthole open --print-url gives a one-time link that logs Chromium into the workbench, and keeps the tunnel until Ctrl-C', async () => {
    open = spawn(process.execPath, [PORTHOLE_BIN, 'open', NAME, '--print-url'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    open.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const link = await new Promise<string>((resolve, reject) => {
      let out = '';
      open!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      open!.once('exit', (code) => reject(new Error(`porthole open exited with ${code}: ${stderr}`)));
    });
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.porthole\/login\?token=[\w-]{43}$/);

    const password = (await porthole(['password', NAME], env)).stdout.trim();
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes).not.toContain(password);

    const browser = await launchChromium({ home: home });
    try {
      const page = await browser.newPage();
      await page.goto(link);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 45_000 });
      expect(page.url()).not.toContain('token');
      const cookies = await page.context().cookies();
      expect(cookies.find((c) => c.name === 'code-server-session')).toMatchObject({ httpOnly: true });
    } finally {
      await browser.close();
    }
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('used already');
    // Another host name (a DNS rebinding page) is not served.
    const origin = new URL(link);
    const rebinding = await new Promise<number>((resolve, reject) =>
      get({ host: '127.0.0.1', port: Number(origin.port), path: '/', headers: { host: `evil.example:${origin.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).once('error', reject),
    );
    expect(rebinding).toBe(421);

    open.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => open!.once('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain(password);
    await expect(fetch(`${origin.origin}/healthz`)).rejects.toThrow();
  }, 90_000);

  it('porthole password --reset says what to do instead on the Sandbox, and keeps the password', async () => {
    const before = (await porthole(['password', NAME], env)).stdout;
    const run = await porthole(['password', NAME, '--reset'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot change its password while they live');
    expect((await porthole(['password', NAME], env)).stdout).toBe(before);
  });

  it('porthole ssh-config lets plain ssh in through porthole-NAME, and adds its Include line once', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await porthole(['ssh-config'], env);
      expect(run.code, run.stderr).toBe(0);
    }
    const main = await readFile(join(home, '.ssh', 'config'), 'utf8');
    expect(main.match(/^Include /gm)).toHaveLength(1);
    const entries = await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8');
    expect(entries).toContain(`Host porthole-${NAME}`);
    // ssh takes ~ from the password database, not HOME: point it at the config explicitly.
    const ssh = spawnSync('ssh', ['-F', join(home, '.ssh', 'config'), `porthole-${NAME}`, 'echo', 'via-config'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(ssh.status, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toBe('via-config');
  }, 90_000);
});
