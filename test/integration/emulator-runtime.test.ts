import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import {
  CreateInstanceSnapshotCommand,
  CreateInstancesCommand,
  CreateInstancesFromSnapshotCommand,
  DeleteInstanceCommand,
  GetInstanceAccessDetailsCommand,
  GetInstanceSnapshotCommand,
  GetInstanceStateCommand,
  LightsailClient,
  OpenInstancePublicPortsCommand,
  PutInstancePublicPortsCommand,
  RebootInstanceCommand,
  StartInstanceCommand,
  StopInstanceCommand,
} from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchScript } from '../../src/core/provision/launch-script.js';
import { packedStub } from '../../src/core/provision/user-data-packing.js';
import { hashPassword } from '../../src/core/secrets/password.js';
import { SANDBOX_CREDENTIALS, startEmulator, type InstanceEndpoints, type RunningEmulator } from '../../src/emulator/index.js';
import { codeServerBin, codeServerLogin, isAlive, until } from '../support/code-server-bin.js';

const REGION = 'us-east-1';
const QUICK = { create: 300, start: 300, stop: 300, reboot: 300, delete: 300, snapshot: 300 };

/** ssh run without blocking: the emulator's firewall in front of each sshd lives in this process. */
function sshRun(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('lightsail-local instances backed by a real sshd and code-server', () => {
  let emulator: RunningEmulator;
  let lightsail: LightsailClient;
  let work: string;
  let runtimeDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const codeServer = codeServerBin();
    // Stands for the user's own secrets in the environment of the process serving the sandbox.
    process.env.AWS_SECRET_ACCESS_KEY = 'planted-secret-of-the-user';
    work = await mkdtemp(join(tmpdir(), 'porthole-runtime-'));
    runtimeDir = join(work, 'instances');
    emulator = await startEmulator({ stateFile: join(work, 'state.json'), durations: QUICK, instanceRuntime: { codeServer, dir: runtimeDir } });
    lightsail = new LightsailClient({ region: REGION, endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
  });

  afterAll(async () => {
    delete process.env.AWS_SECRET_ACCESS_KEY;
    for (const child of children) child.kill('SIGTERM');
    await emulator?.close();
    await rm(work, { recursive: true, force: true });
  });

  const state = async (name: string) => (await lightsail.send(new GetInstanceStateCommand({ instanceName: name }))).state?.name;
  const waitFor = (name: string, wanted: string) => until(`${name} ${wanted}`, async () => ((await state(name).catch(() => 'gone')) === wanted ? true : undefined));

  async function endpointsRoute(name: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${emulator.endpoint}/_emulator/instances/${REGION}/${name}/endpoints`);
    return { status: response.status, body: await response.json() };
  }
  const published = (name: string) =>
    until(`${name}'s endpoints`, async () => {
      const answer = await endpointsRoute(name);
      return answer.status === 200 ? (answer.body as InstanceEndpoints) : undefined;
    });

  async function createWorkspace(name: string, accessMode: 'tunnel' | 'direct', password: string, pack = false): Promise<InstanceEndpoints> {
    const built = buildLaunchScript({ passwordHash: await hashPassword(password), accessMode, idleTimeoutMinutes: 60 });
    const userData = pack ? packedStub(built.script) : built.userData;
    await lightsail.send(new CreateInstancesCommand({ instanceNames: [name], availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', userData }));
    await waitFor(name, 'running');
    return published(name);
  }

  /** The instance's files as an access grant delivers them: key, certificate, and a known_hosts pinning its host keys. */
  async function accessFiles(name: string, port: number, label: string): Promise<{ key: string; cert: string; knownHosts: string; username: string }> {
    const { accessDetails } = await lightsail.send(new GetInstanceAccessDetailsCommand({ instanceName: name }));
    const dir = await mkdtemp(join(work, `${label}-`));
    const key = join(dir, 'key');
    await writeFile(key, accessDetails!.privateKey!, { mode: 0o600 });
    await writeFile(`${key}-cert.pub`, `${accessDetails!.certKey!}\n`);
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, accessDetails!.hostKeys!.map((k) => `[127.0.0.1]:${port} ${k.algorithm} ${k.publicKey}`).join('\n') + '\n');
    return { key, cert: `${key}-cert.pub`, knownHosts, username: accessDetails!.username! };
  }

  const sshOptions = (files: { key: string; cert: string; knownHosts: string }, ssh: InstanceEndpoints['ssh']) => [
    '-F', '/dev/null', '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-i', files.key, '-o', `CertificateFile=${files.cert}`,
    '-o', `UserKnownHostsFile=${files.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5',
    '-p', String(ssh.port), `${ssh.user}@${ssh.host}`,
  ];

  /** `ssh -N -L` to the instance's code-server, as the tunnel does; resolves with the local port once it forwards. */
  async function tunnel(files: { key: string; cert: string; knownHosts: string }, endpoints: InstanceEndpoints): Promise<{ port: number; child: ChildProcess }> {
    const local = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn('ssh', ['-N', '-T', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${local}:127.0.0.1:${endpoints.codeServer.port}`, ...sshOptions(files, endpoints.ssh)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until('the tunnel', async () => {
      if (child.exitCode !== null) throw new Error(`ssh exited ${child.exitCode}: ${stderr}`);
      return (await portOpen(local)) ? true : undefined;
    });
    return { port: local, child };
  }

  describe('a tunnel-access workspace', () => {
    const name = 'runtime-tunnel';
    const password = 'correct-horse-battery-staple';
    let endpoints: InstanceEndpoints;

    beforeAll(async () => {
      endpoints = await createWorkspace(name, 'tunnel', password);
    }, 90_000);

    it('publishes loopback ports for its sshd and code-server on the control endpoint', async () => {
      expect(endpoints.ssh).toMatchObject({ host: '127.0.0.1', port: expect.any(Number), user: expect.any(String) });
      expect(endpoints.codeServer).toMatchObject({ host: '127.0.0.1', port: expect.any(Number) });
      expect(endpoints.direct).toBeNull();
      expect(await portOpen(endpoints.ssh.port)).toBe(true);
      expect(await portOpen(endpoints.codeServer.port)).toBe(true);
    });

    it("keeps the user's environment (AWS keys and the like) away from the instance's processes", async () => {
      // code-server's terminals inherit its environment. (sshd retitles itself over its own, so it cannot be read back.)
      const pid = Number(await readFile(join(runtimeDir, REGION, name, 'code-server.pid'), 'utf8'));
      const environ = (await readFile(`/proc/${pid}/environ`, 'latin1')).split('\0');
      expect(environ).toContain('HOME=' + join(runtimeDir, REGION, name, 'code-server'));
      expect(environ.filter((variable) => variable.includes('planted-secret-of-the-user'))).toEqual([]);
    });

    it('lets the system ssh client in with the granted certificate, pinned to the granted host keys, and forwards to code-server', async () => {
      const files = await accessFiles(name, endpoints.ssh.port, 'granted');
      expect(files.username).toBe('ubuntu');
      const shell = await sshRun([...sshOptions(files, endpoints.ssh), 'echo', 'inside']);
      expect(shell.stderr).not.toMatch(/Permission denied|Host key verification failed/);
      expect(shell.stdout.trim()).toBe('inside');
      const { port, child } = await tunnel(files, endpoints);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string };
      expect(['alive', 'expired']).toContain(health.status);
      child.kill('SIGTERM');
    });

    it("lets in only callers its port 22 rules allow, judged by the caller's public IP a test can change", async () => {
      const files = await accessFiles(name, endpoints.ssh.port, 'firewall');
      const login = () => sshRun([...sshOptions(files, endpoints.ssh), 'echo', 'inside']);
      const setCaller = async (body: unknown) => (await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify(body) })).json();
      const echo = async () => {
        const response = await fetch(`${emulator.endpoint}/_emulator/ip`);
        return { status: response.status, text: (await response.text()).trim() };
      };
      const ssh22 = (cidrs: string[]) => ({ fromPort: 22, toPort: 22, protocol: 'tcp' as const, cidrs });
      try {
        await lightsail.send(new PutInstancePublicPortsCommand({ instanceName: name, portInfos: [ssh22(['127.0.0.1/32'])] }));
        expect(await echo()).toEqual({ status: 200, text: '127.0.0.1' });
        expect((await login()).stdout.trim()).toBe('inside');

        expect(await setCaller({ ip: '203.0.113.9' })).toEqual({ ip: '203.0.113.9', overridden: true, echoDown: false });
        expect(await echo()).toEqual({ status: 200, text: '203.0.113.9' });
        const refused = await login();
        expect(refused.status).toBe(255);
        expect(refused.stdout).not.toContain('inside');
        expect(refused.stderr).toMatch(/Connection reset|Connection closed/);

        await lightsail.send(new OpenInstancePublicPortsCommand({ instanceName: name, portInfo: ssh22(['203.0.113.0/24']) }));
        expect((await login()).stdout.trim()).toBe('inside');

        await setCaller({ echoDown: true });
        const down = await echo();
        expect(down.status).toBe(503);
        expect(down.text).toContain('The IP echo is down');
        expect((await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'POST', body: '{"ip":"not-an-ip"}' })).status).toBe(400);
      } finally {
        await fetch(`${emulator.endpoint}/_emulator/ip`, { method: 'DELETE' });
        await lightsail.send(new PutInstancePublicPortsCommand({ instanceName: name, portInfos: [ssh22(['0.0.0.0/0'])] }));
      }
      expect(await echo()).toEqual({ status: 200, text: '127.0.0.1' });
    }, 60_000);

    it("logs in to code-server with the launch script's password and refuses a wrong one", async () => {
      const login = (pw: string) => codeServerLogin(endpoints.codeServer.port, pw);
      const wrong = await login('not-the-password');
      expect(wrong.status).toBe(200);
      expect(await wrong.text()).toContain('Incorrect password');
      const right = await login(password);
      expect(right.status).toBe(302);
      expect(right.headers.get('set-cookie')).toMatch(/code-server-session=/);
    });

    it('refuses a certificate signed by any other CA', async () => {
      const dir = await mkdtemp(join(work, 'rogue-'));
      expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'ca')]).status).toBe(0);
      expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]).status).toBe(0);
      expect(spawnSync('ssh-keygen', ['-q', '-s', join(dir, 'ca'), '-I', 'rogue', '-n', 'ubuntu,root', '-V', '+10m', join(dir, 'key.pub')]).status).toBe(0);
      const granted = await accessFiles(name, endpoints.ssh.port, 'pins');
      const files = { key: join(dir, 'key'), cert: join(dir, 'key-cert.pub'), knownHosts: granted.knownHosts };
      const shell = await sshRun([...sshOptions(files, endpoints.ssh), 'echo', 'inside']);
      expect(shell.status).toBe(255);
      expect(shell.stdout).not.toContain('inside');
      expect(shell.stderr).toMatch(/Permission denied/);
    });

    it('stops its processes when stopped, servers left running by ended SSH sessions too, and brings them back when started', async () => {
      const instanceDir = join(runtimeDir, REGION, name);
      const pids = await Promise.all(['sshd.pid.own', 'code-server.pid'].map(async (file) => Number(await readFile(join(instanceDir, file), 'utf8'))));
      expect(pids.every(isAlive)).toBe(true);
      // A server started over SSH outlives its session, as on any box; only the instance's stop ends it.
      const before = await accessFiles(name, endpoints.ssh.port, 'left-running');
      const left = await sshRun([...sshOptions(before, endpoints.ssh), 'setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!']);
      const leftPid = Number(left.stdout.trim());
      expect(leftPid).toBeGreaterThan(1);
      expect(isAlive(leftPid)).toBe(true);
      try {
        await lightsail.send(new StopInstanceCommand({ instanceName: name }));
        await waitFor(name, 'stopped');
        await until('the processes to end', async () => ([...pids, leftPid].some(isAlive) ? undefined : true), 15_000);
      } finally {
        if (isAlive(leftPid)) process.kill(leftPid, 'SIGKILL');
      }
      expect(await portOpen(endpoints.ssh.port)).toBe(false);
      expect(await portOpen(endpoints.codeServer.port)).toBe(false);
      const stopped = await endpointsRoute(name);
      expect(stopped.status).toBe(404);
      expect((stopped.body as { error: string }).error).toMatch(/stopped/);

      await lightsail.send(new StartInstanceCommand({ instanceName: name }));
      await waitFor(name, 'running');
      endpoints = await published(name);
      const health = (await (await fetch(`http://127.0.0.1:${endpoints.codeServer.port}/healthz`)).json()) as { status: string };
      expect(['alive', 'expired']).toContain(health.status);
      const files = await accessFiles(name, endpoints.ssh.port, 'restarted');
      expect((await sshRun([...sshOptions(files, endpoints.ssh), 'true'])).status).toBe(0);
    }, 90_000);

    it('restarts its processes when rebooted', async () => {
      const instanceDir = join(runtimeDir, REGION, name);
      const before = Number(await readFile(join(instanceDir, 'code-server.pid'), 'utf8'));
      await lightsail.send(new RebootInstanceCommand({ instanceName: name }));
      endpoints = await until('a new code-server', async () => {
        const answer = await endpointsRoute(name);
        const pid = Number(await readFile(join(instanceDir, 'code-server.pid'), 'utf8').catch(() => '0'));
        return answer.status === 200 && pid !== before ? (answer.body as InstanceEndpoints) : undefined;
      });
      expect(isAlive(before)).toBe(false);
      expect((await codeServerLogin(endpoints.codeServer.port, password)).status).toBe(302);
    }, 60_000);

    it('removes its processes and folder when deleted', async () => {
      const instanceDir = join(runtimeDir, REGION, name);
      const pids = await Promise.all(['sshd.pid.own', 'code-server.pid'].map(async (file) => Number(await readFile(join(instanceDir, file), 'utf8'))));
      await lightsail.send(new DeleteInstanceCommand({ instanceName: name }));
      await waitFor(name, 'gone');
      await until('the folder to go', async () => (existsSync(instanceDir) ? undefined : true), 15_000);
      expect(pids.some(isAlive)).toBe(false);
      expect(await portOpen(endpoints.codeServer.port)).toBe(false);
      expect((await endpointsRoute(name)).status).toBe(404);
    }, 60_000);
  });

  /** What a direct-access client sees: the certificate's fingerprint, and the answer to a request for `path`. */
  function overTls(port: number, path: string, options: { method?: string; body?: string } = {}): Promise<{ fingerprint?: string; status?: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`https://127.0.0.1:${port}${path}`, {
        method: options.method ?? 'GET',
        rejectUnauthorized: false,
        ...(options.body ? { headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
      });
      let fingerprint: string | undefined;
      req.on('socket', (socket) => socket.on('secureConnect', () => (fingerprint = (socket as TLSSocket).getPeerX509Certificate()?.fingerprint256)));
      req.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ ...(fingerprint ? { fingerprint } : {}), ...(response.statusCode ? { status: response.statusCode } : {}), body }));
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  describe('a direct-access workspace from compressed user data', () => {
    const password = 'direct-password-1';
    let pinned: string;

    it('serves code-server over TLS with the certificate the launch script makes', async () => {
      const endpoints = await createWorkspace('runtime-direct', 'direct', password, true);
      expect(endpoints.direct).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
      const certificate = await readFile(join(runtimeDir, REGION, 'runtime-direct', 'code-server', 'tls', 'cert.pem'), 'utf8');
      pinned = new X509Certificate(certificate).fingerprint256;
      const shown = await overTls(endpoints.direct!.port, '/healthz');
      expect({ fingerprint: shown.fingerprint, status: shown.status }).toEqual({ fingerprint: pinned, status: 200 });
    }, 90_000);

    it('comes back from a snapshot with the same configuration and the same certificate, as a resumed workspace does', async () => {
      await lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'runtime-direct', instanceSnapshotName: 'runtime-direct-snap' }));
      await until('the snapshot', async () => ((await lightsail.send(new GetInstanceSnapshotCommand({ instanceSnapshotName: 'runtime-direct-snap' }))).instanceSnapshot?.state === 'available' ? true : undefined));
      await lightsail.send(new DeleteInstanceCommand({ instanceName: 'runtime-direct' }));
      await waitFor('runtime-direct', 'gone');
      // No user data: the configuration and certificate come from the snapshot's disk.
      await lightsail.send(
        new CreateInstancesFromSnapshotCommand({ instanceNames: ['runtime-direct'], instanceSnapshotName: 'runtime-direct-snap', availabilityZone: `${REGION}a`, bundleId: 'small_3_0' }),
      );
      await waitFor('runtime-direct', 'running');
      const endpoints = await published('runtime-direct');
      const health = await overTls(endpoints.direct!.port, '/healthz');
      expect(health.fingerprint).toBe(pinned);
      const login = await overTls(endpoints.direct!.port, '/login', {
        method: 'POST',
        body: new URLSearchParams({ password, base: '.', href: `https://127.0.0.1:${endpoints.direct!.port}/` }).toString(),
      });
      expect(login.status).toBe(302);
    }, 90_000);
  });

  it('says why an instance without a launch script has no processes', async () => {
    await lightsail.send(new CreateInstancesCommand({ instanceNames: ['runtime-bare'], availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0' }));
    await waitFor('runtime-bare', 'running');
    const answer = await until('the runtime to give up', async () => {
      const reply = await endpointsRoute('runtime-bare');
      return /starting/.test((reply.body as { error: string }).error) ? undefined : reply;
    });
    expect(answer.status).toBe(404);
    expect((answer.body as { error: string }).error).toMatch(/without a launch script/);
  });

  describe('on a machine that lacks a piece', () => {
    const lacking = async (instanceRuntime: { codeServer?: string | (() => string | undefined); sshd?: string } | undefined, then?: (endpoint: string) => Promise<void>) => {
      const other = await startEmulator({ durations: QUICK, ...(instanceRuntime ? { instanceRuntime } : {}) });
      try {
        const client = new LightsailClient({ region: REGION, endpoint: other.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
        const { script } = buildLaunchScript({ passwordHash: await hashPassword('unused-password'), accessMode: 'tunnel', idleTimeoutMinutes: 60 });
        await client.send(new CreateInstancesCommand({ instanceNames: ['lacking'], availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', userData: script }));
        const answer = await until('a final answer', async () => {
          const response = await fetch(`${other.endpoint}/_emulator/instances/${REGION}/lacking/endpoints`);
          const body = (await response.json()) as { error?: string };
          return body.error && /pending|starting/.test(body.error) ? undefined : { status: response.status, error: body.error ?? '' };
        });
        await then?.(other.endpoint);
        return answer;
      } finally {
        await other.close();
      }
    };

    it('without code-server, the endpoints route says to run porthole sandbox install, and asking again after installing starts it', async () => {
      let installed: string | undefined;
      const answer = await lacking({ codeServer: () => installed }, async (endpoint) => {
        installed = codeServerBin();
        const again = await fetch(`${endpoint}/_emulator/instances/${REGION}/lacking/endpoints`);
        expect(again.status).toBe(200);
      });
      expect(answer.status).toBe(404);
      expect(answer.error).toMatch(/no code-server is installed.*run "porthole sandbox install"/i);
    }, 60_000);

    it('without sshd, it names the Debian package to install', async () => {
      const answer = await lacking({ codeServer: codeServerBin(), sshd: join(work, 'no-such-sshd') });
      expect(answer.status).toBe(404);
      expect(answer.error).toMatch(/apt-get install openssh-server/);
    });

    it('with the runtime off, it says so and how to turn it on', async () => {
      const answer = await lacking(undefined);
      expect(answer.status).toBe(404);
      expect(answer.error).toMatch(/runs no processes.*porthole sandbox install/);
    });
  });

  it('starts a new instance under the name of one just deleted only once the old one is down and its folder gone, and keeps the new folder', async () => {
    const name = 'runtime-reused';
    const instanceDir = join(runtimeDir, REGION, name);
    await createWorkspace(name, 'tunnel', 'first-life-password');
    // A code-server that ignores SIGTERM for a while: the old instance's processes take their full grace to go.
    const oldCodeServer = Number(await readFile(join(instanceDir, 'code-server.pid'), 'utf8'));
    process.kill(oldCodeServer, 'SIGSTOP');
    // And a project full of small files (a node_modules, say): its folder takes a while to remove.
    for (let i = 0; i < 40; i += 1) {
      const dir = join(instanceDir, 'code-server', 'workspace', 'node_modules', `package-${i}`);
      await mkdir(dir, { recursive: true });
      await Promise.all(Array.from({ length: 500 }, (_, j) => writeFile(join(dir, `file-${j}.js`), 'module.exports = 1;\n')));
    }
    await lightsail.send(new DeleteInstanceCommand({ instanceName: name }));
    await waitFor(name, 'gone');
    // The same name again while the old processes are still going down, as a resume after a hibernate does.
    const endpoints = await createWorkspace(name, 'tunnel', 'second-life-password');
    expect(isAlive(oldCodeServer)).toBe(false);
    // The new instance's folder outlives the old one's removal: its markers and logs are there, and it still answers.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const file of ['code-server.pid', 'sshd_config', 'trusted-ca.pub', 'principals', join('code-server', 'config.yaml'), join('state', 'syslog'), join('state', 'progress'), join('state', 'launch.log')]) expect(existsSync(join(instanceDir, file)), file).toBe(true);
    expect(await portOpen(endpoints.codeServer.port)).toBe(true);
    const status = await endpointsRoute(name);
    expect(status).toEqual({ status: 200, body: endpoints });
  }, 90_000);

  it('on demand, starts nothing until asked, then answers once sshd and code-server listen', async () => {
    const dir = join(work, 'on-demand');
    const other = await startEmulator({ durations: QUICK, instanceRuntime: { codeServer: codeServerBin(), dir, startOnDemand: true } });
    try {
      const client = new LightsailClient({ region: REGION, endpoint: other.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
      const { script } = buildLaunchScript({ passwordHash: await hashPassword('on-demand-password'), accessMode: 'tunnel', idleTimeoutMinutes: 60 });
      await client.send(new CreateInstancesCommand({ instanceNames: ['lazy'], availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', userData: script }));
      await until('running', async () => ((await client.send(new GetInstanceStateCommand({ instanceName: 'lazy' }))).state?.name === 'running' ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(existsSync(join(dir, REGION, 'lazy', 'code-server.pid'))).toBe(false);
      // One request, no polling: the route waits for the processes it started.
      const response = await fetch(`${other.endpoint}/_emulator/instances/${REGION}/lazy/endpoints`);
      expect(response.status).toBe(200);
      const endpoints = (await response.json()) as InstanceEndpoints;
      const health = (await (await fetch(`http://127.0.0.1:${endpoints.codeServer.port}/healthz`)).json()) as { status: string };
      expect(['alive', 'expired']).toContain(health.status);
    } finally {
      await other.close();
    }
  }, 60_000);
});
