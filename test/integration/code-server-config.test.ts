import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../src/core/access/ssh-tunnel.js';
import { buildLaunchScript } from '../../src/core/provision/launch-script.js';
import { hashPassword } from '../../src/core/secrets/password.js';
import { codeServerHome } from '../../src/emulator/runtime/code-server-home.js';
import { codeServerBin } from '../support/code-server-bin.js';
import type { AccessMode } from '../../src/shared/workspace.js';

/** The config.yaml heredoc exactly as the launch script writes it on the instance. */
function configBlock(script: string): string {
  const match = /cat >\/etc\/porthole\/code-server\.yaml <<'PORTHOLE_CONFIG'\n([\s\S]*?)\nPORTHOLE_CONFIG\n/.exec(script);
  if (!match) throw new Error('the launch script has no code-server config block');
  return `${match[1]}\n`;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTP or HTTPS; over HTTPS the server must show exactly `pinnedCert`, as the app pins a direct workspace's certificate. */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; pinnedCert?: string }): Promise<Reply> {
  if (!url.startsWith('https:')) {
    return fetch(url, { method: options.method ?? 'GET', redirect: 'manual', headers: options.headers ?? {}, ...(options.body ? { body: options.body } : {}) }).then(async (response) => ({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }));
  }
  const pinned = new X509Certificate(options.pinnedCert!).fingerprint256;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      // The certificate is self-signed for the instance: trust it by fingerprint, not by name or CA.
      rejectUnauthorized: false,
    });
    req.on('socket', (socket) =>
      socket.on('secureConnect', () => {
        const shown = (socket as TLSSocket).getPeerX509Certificate()?.fingerprint256;
        if (shown !== pinned) req.destroy(new Error(`certificate ${shown} is not the pinned ${pinned}`));
      }),
    );
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe.each(['tunnel', 'direct'] as AccessMode[])("the launch script's code-server config (%s access), on a real code-server", (accessMode) => {
  let dir: string;
  let password: string;
  let child: ChildProcess | undefined;
  let origin: string;
  let cert: string | undefined;
  let output = '';

  beforeAll(async () => {
    const bin = codeServerBin();
    dir = await mkdtemp(join(tmpdir(), 'porthole-code-server-'));
    password = `pw-${randomBytes(12).toString('base64url')}`;
    const { script } = buildLaunchScript({ passwordHash: await hashPassword(password), accessMode, idleTimeoutMinutes: 60 });
    expect(script).not.toContain(password);
    let config = configBlock(script);
    // The instance has its ports and /etc/porthole to itself; here only the port and the TLS file paths move.
    const port = await freeLoopbackPort();
    if (accessMode === 'tunnel') {
      expect(config.split('\n')[0]).toBe('bind-addr: 127.0.0.1:8080');
      config = config.replace('bind-addr: 127.0.0.1:8080', `bind-addr: 127.0.0.1:${port}`);
      origin = `http://127.0.0.1:${port}`;
    } else {
      expect(config.split('\n').slice(0, 3)).toEqual(['bind-addr: 0.0.0.0:8443', 'cert: /etc/porthole/tls/cert.pem', 'cert-key: /etc/porthole/tls/key.pem']);
      // The same openssl command the launch script runs on the instance.
      const openssl = /^ {2}(openssl req .*) 2>\/dev\/null$/m.exec(script)![1]!.replaceAll('/etc/porthole/tls/', `${dir}/`);
      const made = spawnSync('bash', ['-c', openssl], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      cert = await readFile(join(dir, 'cert.pem'), 'utf8');
      config = config.replace('bind-addr: 0.0.0.0:8443', `bind-addr: 127.0.0.1:${port}`).replaceAll('/etc/porthole/tls/', `${dir}/`);
      origin = `https://127.0.0.1:${port}`;
    }
    await writeFile(join(dir, 'config.yaml'), config);
    await mkdir(join(dir, 'ud', 'User'), { recursive: true });
    await writeFile(join(dir, 'ud', 'User', 'settings.json'), '{"workbench.startupEditor":"none","security.workspace.trust.enabled":false}');
    await mkdir(join(dir, 'ws'));
    child = spawn(bin, ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext'), '--disable-workspace-trust', join(dir, 'ws')], {
      env: { ...process.env, ...codeServerHome(dir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
      const healthy = await call(`${origin}/healthz`, { ...(cert ? { pinnedCert: cert } : {}) }).then((r) => r.status === 200, () => false);
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

  const get = (path: string, headers: Record<string, string> = {}) => call(`${origin}${path}`, { headers, ...(cert ? { pinnedCert: cert } : {}) });
  const login = (candidate: string) =>
    call(`${origin}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: candidate, base: '.', href: `${origin}/` }).toString(),
      ...(cert ? { pinnedCert: cert } : {}),
    });

  it('asks for the password', async () => {
    const response = await get('/');
    expect(response.status).toBe(302);
    expect(String(response.headers.location)).toMatch(/login/);
    expect(output).toContain(`HTTP${accessMode === 'direct' ? 'S' : ''} server listening on ${origin}`);
    expect(output).toMatch(/Authentication is enabled/);
  });

  it('rejects a wrong password', async () => {
    const response = await login(`${password}-wrong`);
    expect(response.status).toBe(200);
    expect(response.body).toContain('Incorrect password');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('accepts the generated password and opens a session', async () => {
    const response = await login(password);
    expect(response.status).toBe(302);
    const cookie = [response.headers['set-cookie'] ?? ''].flat().join('; ');
    expect(cookie).toMatch(/^code-server-session=/);
    const session = { cookie: cookie.split(';')[0]! };
    // Signed in, / goes on to the workspace folder instead of back to the login page.
    const home = await get('/', session);
    expect(String(home.headers.location ?? '')).not.toMatch(/login/);
    const next = new URL(String(home.headers.location ?? '/'), `${origin}/`);
    const workbench = await get(`${next.pathname}${next.search}`, session);
    expect(workbench.status).toBe(200);
    expect(workbench.body).toMatch(/workbench/i);
  });
});
