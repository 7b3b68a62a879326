import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/core/access/code-server-login.js';
import { pinnedHttpsAgent } from '../../src/core/access/pinned-https.js';
import { type AccessFixture, readyWorkspace, startAccessFixture } from '../support/access-fixture.js';


function getVia(url: string, agent: import('node:https').Agent, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    import('node:https').then(({ get }) => {
      const req = get(url, { agent, headers: { cookie: `${SESSION_COOKIE}=${cookie}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.once('error', reject);
    }, reject);
  });
}

describe('opening sandbox workspaces: in Chromium through the tunnel, and over pinned direct HTTPS', () => {
  let a: AccessFixture;
  let work: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    a = await startAccessFixture();
    work = await mkdtemp(join(tmpdir(), 'porthole-access-direct-'));
    await readyWorkspace(a, 'direct-one', 'direct');
    await readyWorkspace(a, 'through-tunnel');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await a?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('shows the VS Code workbench in headless Chromium given the tunnel URL and the session cookie', async () => {
    const session = await a.access.open({ name: 'through-tunnel' });
    try {
      browser = await launchChromium({ home: work });
      const context = await browser.newContext();
      await context.addCookies(session.cookies.map(({ name, value, httpOnly, secure }) => ({ name, value, httpOnly, secure, url: session.origin })));
      const page = await context.newPage();
      await page.goto(session.url);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 45_000 });
      expect(new URL(page.url()).origin).toBe(session.origin);
      await context.close();
    } finally {
      await session.release();
    }
  }, 90_000);

  it('pins the direct workspace certificate, learnt over SSH, and logs in over HTTPS with it', async () => {
    const session = await a.access.open({ name: 'direct-one' });
    try {
      expect(session.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(session.certificateSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const record = JSON.parse(await readFile(a.f.settings.path, 'utf8')).workspaces.find((w: { name: string }) => w.name === 'direct-one');
      expect(record.certificateSha256).toBe(session.certificateSha256);
      const { hostname, port } = new URL(session.url);
      const agent = await pinnedHttpsAgent('direct-one', hostname, Number(port), session.certificateSha256!);
      try {
        expect(await getVia(session.url, agent, session.cookies[0]!.value)).toBe(302);
        expect(await getVia(`${session.origin}/healthz`, agent, session.cookies[0]!.value)).toBe(200);
      } finally {
        agent.destroy();
      }
      // A second open uses the pin from the record and needs no tunnel.
      const before = a.events.length;
      const again = await a.access.open({ name: 'direct-one' });
      expect(again.certificateSha256).toBe(session.certificateSha256);
      expect(a.events.length).toBe(before);
      await again.release();
    } finally {
      await session.release();
    }
  });

  it('refuses a server with any other certificate, before sending it anything', async () => {
    const pinned = (await a.access.open({ name: 'direct-one' })).certificateSha256!;
    const key = join(work, 'other-key.pem');
    const cert = join(work, 'other-cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=porthole', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    let requests = 0;
    const impostor: Server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      requests += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = impostor.address() as AddressInfo;
      const error = await pinnedHttpsAgent('direct-one', '127.0.0.1', port, pinned).catch((e: unknown) => e);
      expect(String(error)).toContain('The HTTPS certificate of direct-one');
      expect(String(error)).toContain('is not the one Porthole pinned');
      expect(requests).toBe(0);
    } finally {
      impostor.close();
    }
  });
});
