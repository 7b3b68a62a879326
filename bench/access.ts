/**
 * Reaching a workspace through Porthole's SSH tunnel, on a sandbox instance
 * backed by a real sshd and code-server on loopback. Prints the time from
 * "open" (fresh certificate, tunnel, login) to the VS Code workbench visible
 * in headless Chromium against Chromium opening the same code-server
 * directly with a cookie; the latency of 200 keep-alive requests through the
 * tunnel against the same requests straight to code-server; and tunnel setup.
 *
 *   npx tsx bench/access.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import { loginToCodeServer, SESSION_COOKIE } from '../src/core/access/code-server-login.js';
import { systemProcessRunner } from '../src/core/access/process-runner.js';
import { sandboxEndpointResolver } from '../src/core/access/ssh-endpoint-resolver.js';
import { openSshTunnel, type SshTunnelDependencies } from '../src/core/access/ssh-tunnel.js';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { buildLaunchScript } from '../src/core/provision/launch-script.js';
import { generatePassword, hashPassword } from '../src/core/secrets/password.js';
import { SANDBOX_CREDENTIALS, startEmulator, type InstanceEndpoints } from '../src/emulator/index.js';
import { codeServerSearchDirs, findCodeServer } from '../src/emulator/runtime/code-server-install.js';
import { keepAliveLatencies } from './support/keep-alive.js';
import { median, ms, percentile, report } from './support/stats.js';

const REGION = 'us-east-1';
const NAME = 'bench-access';
const OPENS = 3;
const SETUPS = 5;
const REQUESTS = 200;

const codeServer = findCodeServer(codeServerSearchDirs(join(tmpdir(), 'porthole-bench-none')));
if (!codeServer) {
  console.error('bench/access needs code-server 4.100.3: run "node scripts/install-code-server.mjs" (or "porthole sandbox install") first.');
  process.exit(2);
}

const work = await mkdtemp(join(tmpdir(), 'porthole-bench-access-'));
const emulator = await startEmulator({ stateFile: join(work, 'state.json'), durations: { create: 200, start: 200, stop: 200, reboot: 200, delete: 200, snapshot: 200 }, instanceRuntime: { codeServer } });
const gateway = new SdkLightsailGateway({ region: REGION, credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint });
const password = generatePassword();
let browser: Browser | undefined;

try {
  const { userData } = buildLaunchScript({ passwordHash: await hashPassword(password), accessMode: 'tunnel', idleTimeoutMinutes: 0 });
  await gateway.createInstances({ region: REGION, instanceNames: [NAME], workspace: NAME, bundleId: 'small_3_0', blueprintId: 'ubuntu_22_04', userData });
  await gateway.waitForInstanceState(REGION, NAME, 'running');
  const endpoints = await published();
  const direct = `http://127.0.0.1:${endpoints.codeServer.port}`;
  const deps: SshTunnelDependencies = { gateway, resolver: sandboxEndpointResolver(emulator.endpoint), runner: systemProcessRunner };
  const target = { workspace: NAME, region: REGION };

  // Tunnel setup: fresh certificate from GetInstanceAccessDetails, key files, ssh up and forwarding.
  const setups: number[] = [];
  for (let i = 0; i < SETUPS; i++) {
    const start = performance.now();
    const tunnel = await openSshTunnel(deps, target);
    setups.push(performance.now() - start);
    await tunnel.close();
  }

  browser = await launchChromium({ home: work });
  const workbench = async (origin: string, cookie: string): Promise<void> => {
    const context = await browser!.newContext();
    await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: origin, httpOnly: true }]);
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await context.close();
  };
  // One warm-up each way, so neither side pays code-server's first-load caching alone.
  await workbench(direct, await loginToCodeServer(`${direct}/`, password, NAME));

  const viaTunnel: number[] = [];
  const straight: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    let start = performance.now();
    const tunnel = await openSshTunnel(deps, target);
    const origin = `http://127.0.0.1:${tunnel.localPort}`;
    await workbench(origin, await loginToCodeServer(`${origin}/`, password, NAME));
    viaTunnel.push(performance.now() - start);

    start = performance.now();
    await workbench(direct, await loginToCodeServer(`${direct}/`, password, NAME));
    straight.push(performance.now() - start);

    if (i === OPENS - 1) {
      const tunnelLatency = await keepAliveLatencies(tunnel.localPort, '/healthz', REQUESTS);
      const directLatency = await keepAliveLatencies(endpoints.codeServer.port, '/healthz', REQUESTS);
      report(`${REQUESTS} keep-alive GET /healthz, one connection`, {
        'through the tunnel, median': ms(median(tunnelLatency)),
        'through the tunnel, p95': ms(percentile(tunnelLatency, 95)),
        'straight to code-server, median': ms(median(directLatency)),
        'straight to code-server, p95': ms(percentile(directLatency, 95)),
        'tunnel / direct (median)': `${(median(tunnelLatency) / median(directLatency)).toFixed(2)}x`,
      });
    }
    await tunnel.close();
  }

  report(`open to workbench visible in headless Chromium (median of ${OPENS})`, {
    'porthole open (certificate, tunnel, login, page)': ms(median(viaTunnel)),
    'Chromium straight to code-server with a cookie': ms(median(straight)),
    'open / direct': `${(median(viaTunnel) / median(straight)).toFixed(2)}x`,
  });
  report(`tunnel setup (median of ${SETUPS})`, {
    'GetInstanceAccessDetails to forwarding': ms(median(setups)),
    'slowest': ms(Math.max(...setups)),
  });
} finally {
  await browser?.close();
  gateway.close();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}

async function published(): Promise<InstanceEndpoints> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${emulator.endpoint}/_emulator/instances/${REGION}/${NAME}/endpoints`);
    if (response.ok) return (await response.json()) as InstanceEndpoints;
    if (Date.now() > deadline) throw new Error(`the sandbox instance never ran: ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
