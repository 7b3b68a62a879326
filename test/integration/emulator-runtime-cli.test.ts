import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceEndpoints } from '../../src/emulator/index.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { codeServerBin, codeServerLogin, until } from '../support/code-server-bin.js';

/**
 * The Sandbox account as a user drives it: `porthole create` gives a
 * workspace whose code-server really runs on this machine, behind the
 * password in the keychain. Needs the code-server the test run installs
 * into its cache (scripts/install-code-server.mjs).
 */
describe('porthole on the Sandbox account, with code-server installed', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };

  const endpointsRoute = async (name: string) => {
    const response = await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${name}/endpoints`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    // The sandbox finds code-server in the shared cache; make sure it is there before the emulator looks.
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-runtime-cli-'));
    env = { PORTHOLE_HOME: home };
    emulator = await startSandboxEmulator(env, 20);
  });
  afterAll(async () => {
    await porthole(['delete', 'demo', '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('porthole sandbox install finds the code-server already there and says so', async () => {
    const run = await porthole(['--json', 'sandbox', 'install'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '4.100.3', alreadyInstalled: true, sshd: expect.stringMatching(/sshd$/) });
  });

  it("porthole create gives a workspace whose code-server runs and takes the keychain's password", async () => {
    const create = await porthole(['create', 'demo'], env);
    expect(create.code, create.stderr).toBe(0);
    const endpoints = await until('demo to run', async () => {
      const answer = await endpointsRoute('demo');
      return answer.status === 200 ? (answer.body as InstanceEndpoints) : undefined;
    });
    const password = (await porthole(['password', 'demo'], env)).stdout.trim();
    const login = (pw: string) => codeServerLogin(endpoints.codeServer.port, pw);
    const right = await login(password);
    expect(right.status).toBe(302);
    expect(right.headers.get('set-cookie')).toMatch(/code-server-session=/);
    const wrong = await login(`${password}x`);
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Incorrect password');
  }, 60_000);

  it('porthole stop takes its processes down, with the route saying why', async () => {
    expect((await porthole(['stop', 'demo'], env)).code).toBe(0);
    const answer = await endpointsRoute('demo');
    expect(answer.status).toBe(404);
    expect((answer.body as { error: string }).error).toMatch(/'demo' is stopped/);
  }, 60_000);
});
