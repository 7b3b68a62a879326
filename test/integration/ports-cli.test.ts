import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPortFree } from '../../src/core/ports/port-forwarder.js';
import { portAnswers } from '../../src/emulator/runtime/processes.js';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { PORTHOLE_BIN, porthole, startSandboxEmulator } from '../support/porthole-cli.js';

const NAME = 'demo';

/** porthole ports, forward and unforward as a user runs them, on the Sandbox account with a real sshd and a python server in the workspace. */
describe('porthole ports, forward and unforward', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let server: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-ports-cli-'));
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home };
    emulator = await startSandboxEmulator(env, 20);
    const create = await porthole(['create', NAME], env);
    expect(create.code, create.stderr).toBe(0);
    await until(`${NAME} to run`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${NAME}/endpoints`)).ok ? true : undefined), 60_000);
    const site = join(home, 'site');
    await mkdir(site);
    await writeFile(join(site, 'hello.txt'), 'hello\n');
    do port = 3000 + Math.floor(Math.random() * 6999);
    while (!(await localPortFree(port)));
    // As the issue has it: porthole ssh demo -- python3 -m http.server PORT, in the background.
    server = spawn(process.execPath, [PORTHOLE_BIN, 'ssh', NAME, '--', 'python3', '-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { env: { ...process.env, ...env }, stdio: 'ignore' });
    await until('the server', async () => ((await portAnswers(port)) ? true : undefined), 60_000);
  }, 180_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await porthole(['delete', NAME, '--yes'], env);
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('porthole ports lists the server with its process, and says nothing forwards it without the app', async () => {
    const listed = await porthole(['--json', 'ports', NAME], env);
    expect(listed.code, listed.stderr).toBe(0);
    const body = JSON.parse(listed.stdout) as { autoForward: string; forwarding: boolean; ports: unknown[] };
    expect(body.autoForward).toBe('3000-9999');
    expect(body.forwarding).toBe(false);
    expect(body.ports).toContainEqual({ port, process: 'python3', listening: true });
    const table = await porthole(['ports', NAME], env);
    expect(table.stdout).toMatch(new RegExp(`^${port}\\s+python3\\s+-\\s+no$`, 'm'));
  }, 60_000);

  it('porthole forward holds the port on a free local one (its own is taken by the box) until Ctrl-C', async () => {
    const forward = spawn(process.execPath, [PORTHOLE_BIN, 'forward', NAME, String(port)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    forward.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      forward.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      forward.once('exit', (code) => reject(new Error(`porthole forward exited with ${code}: ${stderr}`)));
    });
    const match = new RegExp(`^Port ${port} of ${NAME} is forwarded to http://127\\.0\\.0\\.1:(\\d+) \\(local port ${port} is taken, so it is on \\d+\\)\\. Press Ctrl-C to stop\\.$`).exec(line);
    expect(match, line).not.toBeNull();
    const local = Number(match![1]);
    expect(await (await fetch(`http://127.0.0.1:${local}/hello.txt`)).text()).toBe('hello\n');
    const exited = new Promise<number | null>((resolve) => forward.once('exit', resolve));
    forward.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${local}/hello.txt`)).rejects.toThrow();
  }, 90_000);

  it('porthole forward --background says when no app would keep it', async () => {
    const run = await porthole(['forward', NAME, String(port), '--background'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No Porthole app or "porthole ui" is running for account sandbox, so nothing would keep the forward.');
  }, 60_000);

  it('refuses bad ports, a public SSH range and unknown workspaces with what to do', async () => {
    for (const bad of ['0', '70000', 'abc']) {
      const run = await porthole(['forward', NAME, bad], env);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`porthole: "${bad}" is not a workspace port number. Give a workspace port from 1 to 65535, such as 3000.\n`);
    }
    const unforward = await porthole(['unforward', NAME, '70000'], env);
    expect(unforward.stderr).toBe('porthole: "70000" is not a port number. Give a port from 1 to 65535, such as 3000.\n');
    const range = await porthole(['ports', NAME, '--auto', '9999-3000'], env);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('The range "9999-3000" ends before it begins.');
    const open = await porthole(['firewall', NAME, '--allow', '0.0.0.0/0'], env);
    expect(open.code).toBe(2);
    expect(open.stderr).toBe('porthole: 0.0.0.0/0 opens SSH of the workspace to the whole internet. Allow your own address or network instead (such as 203.0.113.7/32); if you really mean everyone, add --i-know-this-is-public.\n');
    const unknown = await porthole(['ports', 'nosuch'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no workspace "nosuch"');
  }, 90_000);
});
