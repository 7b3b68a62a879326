import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireWorkspaceAccess } from '../../src/core/access/workspace-access-wiring.js';
import type { PortsChangedEvent } from '../../src/core/ports/port-forwarder.js';
import { LiveForwardsFile } from '../../src/core/ports/port-preferences-store.js';
import { WorkspacePorts } from '../../src/core/ports/workspace-ports.js';
import type { WorkspaceEngine } from '../../src/core/workspaces/workspace-engine.js';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { freePortIn, sshProcessesOf, startHttpServer, stopWorkspaceServer } from '../support/workspace-dev-server.js';
import { TEST_ACCOUNT, TEST_REGION, engineReadingStatus, startEngineFixture, type EngineFixture } from '../support/engine-fixture.js';

const QUICK = { create: 300, start: 300, stop: 300, reboot: 300, delete: 300, snapshot: 300 };
const NAME = 'ports-dev';
const REF = { region: TEST_REGION, name: NAME };

/**
 * Detection and forwarding of a sandbox workspace's dev servers, all real:
 * the instance's sshd, a python http.server started over SSH as a user
 * would, the engine's status reads, the tunnel's ssh master and
 * `ssh -O forward`. Sandbox instances share this machine's loopback, so the
 * workspace's port is always taken here by its own server: each forward
 * lands on another local port, and says which.
 */
describe('a workspace dev server, found and forwarded over its SSH connection', () => {
  let f: EngineFixture;
  let engine: WorkspaceEngine;
  let ports: WorkspacePorts;
  let tunnels: ReturnType<typeof wireWorkspaceAccess>['tunnels'];
  let work: string;
  let stopWatching: () => void;
  const changes: PortsChangedEvent[] = [];
  const servers: ChildProcess[] = [];
  const serverPids = new Map<number, number>();

  const shell = () => ({ gateway: f.gateway, sandboxEndpoint: f.emulator.endpoint, workspace: NAME, region: TEST_REGION });

  async function startServer(port: number, folder: string): Promise<number> {
    const { pid, session } = await startHttpServer(shell(), port, folder);
    servers.push(session);
    return pid;
  }

  const stopServer = (pid: number) => stopWorkspaceServer(shell(), pid);

  /** The pids of ssh processes holding the workspace's tunnel: its one master, however many ports it forwards. */
  const sshProcesses = () => sshProcessesOf(tunnels.controlPath({ workspace: NAME, region: TEST_REGION })!);

  const forwardOf = (port: number) => ports.forwarder.forwards(REF).find((p) => p.port === port);
  /** What the engine and the forwarder hold, for a wait that timed out. */
  const portsSeen = () => ({ listening: engine.get(NAME).ports, declared: engine.get(NAME).declaredPorts, forwards: ports.forwarder.forwards(REF), problem: ports.forwarder.problem(REF) });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'porthole-ports-'));
    f = await startEngineFixture({ durations: QUICK, timeScale: 1, stateFile: join(work, 'state.json'), instanceRuntime: { codeServer: codeServerBin(), dir: join(work, 'instances') } });
    engine = await engineReadingStatus(f, work, { readTimeoutMs: 20_000, status: { provisioningIntervalMs: 200, watchedIntervalMs: 500 } });
    await engine.create({ name: NAME, bundleId: 'small_3_0' });
    await until(`${NAME} ready`, async () => ((await engine.refresh()).find((w) => w.name === NAME)?.state === 'ready' ? true : undefined), 120_000);
    ({ tunnels } = wireWorkspaceAccess({ engine, gateway: f.gateway, sandboxEndpoint: f.emulator.endpoint, settings: f.settings, tunnelOptions: { healthIntervalMs: 1_000, backoffBaseMs: 100, backoffMaxMs: 1_000 } }));
    ports = new WorkspacePorts({ dataDir: f.dataDir, account: TEST_ACCOUNT, engine, tunnels, onChange: (event) => changes.push(event), requestCheckMs: 200 });
    stopWatching = engine.watchInstances();
  }, 240_000);

  afterAll(async () => {
    for (const server of servers) server.kill();
    stopWatching?.();
    await ports?.close();
    await tunnels?.closeAll();
    await f?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('finds a server started in the workspace, forwards it to a free local port when its own is taken, and serves it here', async () => {
    const folder = join(work, 'site');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'hello.txt'), 'hello from the workspace\n');
    const port = await freePortIn(3000, 9999);
    serverPids.set(port, await startServer(port, folder));

    const listed = await until('the port in the workspace', async () => engine.get(NAME).ports?.find((p) => p.port === port), 60_000, portsSeen);
    expect(listed).toEqual({ port, host: '127.0.0.1', process: 'python3' });
    const forward = await until('the forward', async () => forwardOf(port), 60_000, portsSeen);
    // The box's own server holds that port on this shared loopback: another one, named.
    expect(forward.origin).toBe('auto');
    expect(forward.localPort).not.toBe(port);
    expect(changes.some((c) => c.ready.some((r) => r.port === port && r.localPort === forward.localPort))).toBe(true);
    const served = await fetch(`http://127.0.0.1:${forward.localPort}/hello.txt`);
    expect(await served.text()).toBe('hello from the workspace\n');
    expect(ports.view(engine.get(NAME)).find((line) => line.port === port)).toEqual({ port, process: 'python3', listening: true, localPort: forward.localPort, localAddress: `http://127.0.0.1:${forward.localPort}`, origin: 'auto' });
    const live = await new LiveForwardsFile(f.dataDir, TEST_ACCOUNT).read();
    expect(live?.workspaces[`${TEST_REGION}/${NAME}`]?.forwards).toContainEqual(forward);
  }, 180_000);

  it('leaves a port above the auto range alone until asked for, and forwards it on request without a new ssh process', async () => {
    const folder = join(work, 'site');
    const port = await freePortIn(20_000, 30_000);
    await startServer(port, folder);
    await until('the high port in the workspace', async () => engine.get(NAME).ports?.find((p) => p.port === port), 60_000, portsSeen);
    expect(forwardOf(port)).toBeUndefined();

    const before = sshProcesses();
    expect(before).toHaveLength(1);
    await ports.store.update({ account: TEST_ACCOUNT, ...REF }, (p) => ({ ...p, manual: [...p.manual, { port }] }));
    const forward = await until('the requested forward', async () => forwardOf(port), 30_000, portsSeen);
    expect(forward.origin).toBe('manual');
    expect(await (await fetch(`http://127.0.0.1:${forward.localPort}/hello.txt`)).text()).toBe('hello from the workspace\n');
    expect(sshProcesses()).toEqual(before);
  }, 180_000);

  it('forwards a port the workspace declares once it listens, above the auto range too, and says it is declared', async () => {
    const port = await freePortIn(10_000, 19_999);
    await engine.declarePorts(NAME, [port]);
    expect(engine.get(NAME).declaredPorts).toEqual([port]);
    // Not before it listens: on the sandbox's shared loopback a forward bound first would take the server's port.
    await ports.forwarder.update(engine.get(NAME));
    expect(forwardOf(port)).toBeUndefined();
    await startServer(port, join(work, 'site'));
    const forward = await until('the declared forward', async () => forwardOf(port), 60_000, portsSeen);
    expect(forward.origin).toBe('declared');
    expect(ports.view(engine.get(NAME)).find((line) => line.port === port)).toMatchObject({ listening: true, origin: 'declared', localPort: forward.localPort });
    expect(await (await fetch(`http://127.0.0.1:${forward.localPort}/hello.txt`)).text()).toBe('hello from the workspace\n');
  }, 180_000);

  it('puts every forward back on the same local port after the ssh connection is killed', async () => {
    const before = ports.forwarder.forwards(REF);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const master = sshProcesses();
    expect(master).toHaveLength(1);
    const reconnected = changes.length;
    process.kill(master[0]!, 'SIGKILL');
    await until('the forwards back', async () => (changes.length > reconnected && ports.forwarder.forwards(REF).length === before.length ? true : undefined), 60_000);
    expect(ports.forwarder.forwards(REF)).toEqual(before);
    for (const forward of before) expect((await fetch(`http://127.0.0.1:${forward.localPort}/hello.txt`)).status).toBe(200);
  }, 120_000);

  it('drops the port and its forward once the server stops', async () => {
    const auto = ports.forwarder.forwards(REF).find((p) => p.origin === 'auto')!;
    await stopServer(serverPids.get(auto.port)!);
    await until('the port gone', async () => (engine.get(NAME).ports?.some((p) => p.port === auto.port) ? undefined : true), 60_000);
    await until('the forward gone', async () => (forwardOf(auto.port) ? undefined : true), 30_000);
    await expect(fetch(`http://127.0.0.1:${auto.localPort}/`)).rejects.toThrow();
  }, 120_000);
});
