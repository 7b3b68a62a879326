import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetInstancePortStatesCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/emulator/index.js';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { porthole, startPortholeOpen, startSandboxEmulator } from '../support/porthole-cli.js';

const NAME = 'demo';
const ADDED = '198.51.100.0/24';

/**
 * The firewall follows the user, as a user meets it: the Sandbox account
 * with a real sshd behind lightsail-local's firewall, this computer moved
 * to another public IP through the emulator's echo, and the real porthole
 * binary reading the workspace's status and holding its tunnel.
 */
describe('a workspace firewall that follows this computer to a new address', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let lightsail: LightsailClient;

  const moveTo = async (body: { ip?: string | null; echoDown?: boolean }) => {
    const response = await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  };
  const sshCidrs = async () => {
    const { portStates } = await lightsail.send(new GetInstancePortStatesCommand({ instanceName: NAME }));
    return (portStates ?? []).filter((p) => p.fromPort === 22).flatMap((p) => p.cidrs ?? []).sort();
  };
  const recordedIp = async () => {
    const settings = JSON.parse(await readFile(join(home, 'porthole', 'settings.json'), 'utf8')) as { workspaces: Array<{ name: string; callerIp?: string }> };
    return settings.workspaces.find((w) => w.name === NAME)?.callerIp;
  };
  const status = async () => {
    const run = await porthole(['--json', 'status', NAME], env);
    return { ...run, body: JSON.parse(run.stdout) as { instance: { outcome: string; message?: string }; firewallFollowed?: unknown[] } };
  };

  beforeAll(async () => {
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-firewall-follow-'));
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home };
    emulator = await startSandboxEmulator(env, 20);
    lightsail = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
    const create = await porthole(['create', NAME], env);
    expect(create.code, create.stderr).toBe(0);
    await until(`${NAME} to run`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${NAME}/endpoints`)).ok ? true : undefined), 60_000);
    const allow = await porthole(['firewall', NAME, '--allow', ADDED], env);
    expect(allow.code, allow.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'DELETE' }).catch(() => undefined);
    await porthole(['delete', NAME, '--yes'], env);
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('lists which address is this computer and which the user added', async () => {
    expect(await recordedIp()).toBe('127.0.0.1');
    const listed = await porthole(['firewall', NAME], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^CIDR\s+WHO$/m);
    expect(listed.stdout).toMatch(/^127\.0\.0\.1\/32\s+this computer$/m);
    expect(listed.stdout).toMatch(/^198\.51\.100\.0\/24\s+added$/m);
  }, 60_000);

  it('moves the rule to the new address when a status read cannot get through, reads, says so once, and keeps the added range', async () => {
    await moveTo({ ip: '203.0.113.9' });
    const read = await status();
    expect(read.code, read.stderr).toBe(0);
    expect(read.body.instance.outcome).toBe('read');
    const moved = { name: NAME, region: 'us-east-1', account: 'sandbox', from: '127.0.0.1', to: '203.0.113.9' };
    expect(read.body.firewallFollowed).toEqual([moved]);
    expect(read.stderr.split('\n').filter((line) => line.includes('firewall-followed'))).toEqual([JSON.stringify({ event: 'firewall-followed', ...moved })]);
    expect(await sshCidrs()).toEqual([ADDED, '203.0.113.9/32'].sort());
    expect(await recordedIp()).toBe('203.0.113.9');

    const text = await porthole(['status', NAME], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).not.toContain('firewall');
    const listed = await porthole(['--json', 'firewall', NAME], env);
    expect(JSON.parse(listed.stdout)).toMatchObject({ thisComputer: '203.0.113.9', sources: expect.arrayContaining([{ cidr: '203.0.113.9/32', source: 'this-computer' }, { cidr: ADDED, source: 'added' }]) });
  }, 90_000);

  it('leaves the rule alone when the address has not changed and the connection fails anyway, with a clear error', async () => {
    const revoke = await porthole(['firewall', NAME, '--revoke', '203.0.113.9/32'], env);
    expect(revoke.code, revoke.stderr).toBe(0);
    try {
      const read = await status();
      expect(read.code).toBe(1);
      expect(read.body.instance.outcome).toBe('failed');
      expect(read.body.instance.message).toMatch(/^Could not open an SSH connection to demo: .*(reset|closed)/);
      expect(read.body.instance.message).toContain('that your IP is allowed in its firewall');
      expect(read.body.firewallFollowed).toBeUndefined();
      expect(await sshCidrs()).toEqual([ADDED]);
      expect(await recordedIp()).toBe('203.0.113.9');
    } finally {
      await porthole(['firewall', NAME, '--allow', '203.0.113.9/32'], env);
    }
  }, 90_000);

  it('leaves the rule alone when the IP echo is down, and says what failed and why', async () => {
    await moveTo({ ip: '192.0.2.10', echoDown: true });
    try {
      const read = await status();
      expect(read.code).toBe(1);
      expect(read.body.instance.outcome).toBe('failed');
      expect(read.body.instance.message).toMatch(/^Could not open an SSH connection to demo: .* Porthole could not tell whether this computer's public IP changed since the firewall of demo was written, so it left the firewall as it is: Could not learn this computer's public IP address from http:\/\/127\.0\.0\.1:\d+\/_emulator\/ip \(HTTP 503\)\. Check the network connection, or set another IP echo URL in the settings\.$/);
      expect(await sshCidrs()).toEqual([ADDED, '203.0.113.9/32'].sort());
      expect(await recordedIp()).toBe('203.0.113.9');
    } finally {
      await moveTo({ echoDown: false });
    }
  }, 90_000);

  it('porthole open gets its tunnel through after the address changed, and again when it reconnects from yet another address', async () => {
    const { ssh } = (await (await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${NAME}/endpoints`)).json()) as { ssh: { port: number } };
    await moveTo({ ip: '192.0.2.44' });
    const open = await startPortholeOpen(NAME, env);
    try {
      const { url } = open;
      expect(open.stderr()).toContain('porthole: demo: firewall now lets in your new address 192.0.2.44 (it let in 203.0.113.9 before).');
      expect(await sshCidrs()).toEqual([ADDED, '192.0.2.44/32'].sort());
      const origin = new URL(url).origin;
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);

      await moveTo({ ip: '192.0.2.55' });
      const tunnelSsh = () => execFileSync('pgrep', ['-f', `^ssh -N -T .* -p ${ssh.port} `], { encoding: 'utf8' }).trim();
      const first = tunnelSsh();
      process.kill(Number(first), 'SIGKILL');
      await until('the tunnel back from the new address', async () => (open.stderr().includes('new address 192.0.2.55') ? true : undefined), 30_000);
      await until('code-server through it', async () => ((await fetch(`${origin}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000);
      expect(tunnelSsh()).not.toBe(first);
      expect(open.stderr().match(/firewall now lets in your new address/g)).toHaveLength(2);
      expect(await sshCidrs()).toEqual([ADDED, '192.0.2.55/32'].sort());
    } finally {
      await open.interrupt();
    }
  }, 120_000);

  it('porthole ssh, logs and cp each get through after the address changed, saying so, and never run their command twice', async () => {
    const moved = (to: string, from: string) => `porthole: demo: firewall now lets in your new address ${to} (it let in ${from} before).`;
    await moveTo({ ip: '192.0.2.60' });
    // A sandbox box shares this computer's disk: the file it writes is in this suite's folder.
    const runs = join(home, 'runs');
    const ssh = await porthole(['ssh', NAME, '--', 'sh', '-c', `'echo ran >> ${runs}; cat ${runs}'`], env);
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout).toBe('ran\n');
    expect(ssh.stderr).toContain(moved('192.0.2.60', '192.0.2.55'));

    await moveTo({ ip: '192.0.2.61' });
    const logs = await porthole(['logs', NAME, '--source', 'provision', '--lines', '5'], env);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/provision/);
    expect(logs.stderr).toContain(moved('192.0.2.61', '192.0.2.60'));

    await moveTo({ ip: '192.0.2.62' });
    const copied = join(home, 'runs-copy');
    const cp = await porthole(['cp', `${NAME}:${runs}`, copied], env);
    expect(cp.code, cp.stderr).toBe(0);
    expect(await readFile(copied, 'utf8')).toBe('ran\n');
    expect(cp.stderr).toContain(moved('192.0.2.62', '192.0.2.61'));
    expect(await sshCidrs()).toEqual([ADDED, '192.0.2.62/32'].sort());
  }, 120_000);

  it('porthole ssh says the SSH port did not answer when the firewall shuts this computer out and its address has not changed', async () => {
    const revoke = await porthole(['firewall', NAME, '--revoke', '192.0.2.62/32'], env);
    expect(revoke.code, revoke.stderr).toBe(0);
    const ssh = await porthole(['ssh', NAME, '--', 'true'], env);
    expect(ssh.code).toBe(1);
    expect(ssh.stderr).toMatch(/The SSH port of demo at 127\.0\.0\.1:\d+ did not answer: the connection was reset\./);
    expect(ssh.stderr).toContain('porthole firewall demo');
    expect(ssh.stderr).not.toContain('firewall now lets in');
    expect(await sshCidrs()).toEqual([ADDED]);
  }, 60_000);
});
