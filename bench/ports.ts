/**
 * Dev-server ports of a sandbox workspace (real sshd, code-server, Python's
 * http.server started over SSH), found by the status read and
 * forwarded over the tunnel's one ssh master with `ssh -O forward`. Prints
 * keep-alive request latency through a forwarded port against the same
 * server reached directly; the time from a server listening to its port
 * forwarded, against the status interval; and the processes and file
 * descriptors with 1 and with 20 ports forwarded.
 *
 *   npx tsx bench/ports.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instanceStatusReader } from '../src/core/access/instance-status-reader.js';
import { sandboxEndpointResolver } from '../src/core/access/ssh-endpoint-resolver.js';
import { wireWorkspaceAccess } from '../src/core/access/workspace-access-wiring.js';
import { SdkLightsailGateway } from '../src/core/cloud/sdk-lightsail-gateway.js';
import { WorkspacePorts } from '../src/core/ports/workspace-ports.js';
import { SettingsStore } from '../src/core/settings/settings-store.js';
import { OperationJournal } from '../src/core/workspaces/operation-journal.js';
import { SANDBOX_CREDENTIALS, startEmulator } from '../src/emulator/index.js';
import { codeServerBin, until } from '../test/support/code-server-bin.js';
import { freePortIn, sshProcessesOf, startWorkspaceServer, stopWorkspaceServer } from '../test/support/workspace-dev-server.js';
import { benchEngine } from './support/bench-engine.js';
import { keepAliveLatencies } from './support/keep-alive.js';
import { median, ms, report } from './support/stats.js';

const REGION = 'us-east-1';
const NAME = 'bench-ports';
const REF = { region: REGION, name: NAME };
const TARGET = { workspace: NAME, region: REGION };
/** The app's interval for reading a watched workspace's status (InstanceStatusTracker's default). */
const WATCHED_INTERVAL_MS = 3_000;
const DETECTIONS = 3;
const REQUESTS = 200;
const MANY = 20;

/**
 * Python's file server on each port given, in one process: HTTP/1.1 so the
 * latency figure's requests share one kept-alive connection, and without
 * Nagle's delay, which would hold each body behind its headers for the
 * client's delayed ack (40 ms) and hide the forward's own cost.
 */
const SERVE = `import http.server, sys, threading
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    disable_nagle_algorithm = True
for port in sys.argv[1:]:
    server = http.server.ThreadingHTTPServer(('127.0.0.1', int(port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
threading.Event().wait()
`;

const work = await mkdtemp(join(tmpdir(), 'porthole-bench-ports-'));
const emulator = await startEmulator({ stateFile: join(work, 'state.json'), durations: { create: 200, start: 200, stop: 200, reboot: 200, delete: 200, snapshot: 200 }, instanceRuntime: { codeServer: codeServerBin(), dir: join(work, 'instances') } });
const gateway = new SdkLightsailGateway({ region: REGION, credentials: async () => SANDBOX_CREDENTIALS, endpoint: emulator.endpoint }, { waitTiming: { pollIntervalMs: 25 } });
const settings = new SettingsStore(work);
const engine = benchEngine({
  regions: [REGION],
  gateway,
  settings,
  journal: await OperationJournal.open(join(work, 'journal.json')),
  extra: { pollIntervalMs: 25, instanceStatus: { source: instanceStatusReader({ gateway, resolver: sandboxEndpointResolver(emulator.endpoint, 'ssh') }), provisioningIntervalMs: 200, watchedIntervalMs: WATCHED_INTERVAL_MS } },
});
const shell = { gateway, sandboxEndpoint: emulator.endpoint, workspace: NAME, region: REGION };
const { tunnels } = wireWorkspaceAccess({ engine, gateway, sandboxEndpoint: emulator.endpoint, settings });
/** When each workspace port was first reported forwarded, and on which local port. */
const forwardedAt = new Map<number, { at: number; localPort: number }>();
let ports: WorkspacePorts | undefined;
let stopWatching: (() => void) | undefined;
const running = new Map<number, { kill(): boolean }>();

const fdCount = (pid: number | 'self') => readdirSync(`/proc/${pid}/fd`).length;
const forwardCount = () => ports!.forwarder.forwards(REF).length;
const master = () => {
  const pids = sshProcessesOf(tunnels.controlPath(TARGET)!);
  if (pids.length !== 1) throw new Error(`expected one ssh master for ${NAME}, found ${pids.length}`);
  return pids[0]!;
};
/** ssh processes on this machine that are not the workspace's own sshd: the tunnel's master and anything it spawned. */
const clientSshProcesses = () => sshProcessesOf(tunnels.controlPath(TARGET)!).length + childrenOf(master()).length;
/** The pids `pid` started (Linux lists them in /proc, per thread). */
function childrenOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean));
}

try {
  await engine.create({ name: NAME, bundleId: 'small_3_0', accessMode: 'tunnel', idleTimeoutMinutes: 0 });
  await until(`${NAME} ready`, async () => ((await engine.refresh()).find((w) => w.name === NAME)?.state === 'ready' ? true : undefined), 120_000);
  ports = new WorkspacePorts({
    dataDir: work,
    account: engine.account,
    engine,
    tunnels,
    onChange: (event) => {
      for (const ready of event.ready) if (!forwardedAt.has(ready.port)) forwardedAt.set(ready.port, { at: performance.now(), localPort: ready.localPort });
    },
  });
  stopWatching = engine.watchInstances();
  await writeFile(join(work, 'hello.txt'), 'hello from the workspace\n');
  await writeFile(join(work, 'serve.py'), SERVE);

  // Listening to forwarded: the app's own path, a status read finds the port and the forwarder adds it.
  const detections: number[] = [];
  const detected: number[] = [];
  for (let i = 0; i < DETECTIONS; i++) {
    const port = await freePortIn(3000, 9999);
    const { pid, session } = await startWorkspaceServer(shell, work, `exec python3 serve.py ${port}`, [port]);
    // Seen listening here (polled every 100 ms), so the figure errs short by at most that.
    const listening = performance.now();
    running.set(pid, session);
    const forward = await until(`${port} forwarded`, async () => forwardedAt.get(port), 60_000);
    detections.push(forward.at - listening);
    detected.push(port);
  }

  // Latency through the forward against the same server straight on its own port.
  const first = detected[0]!;
  const local = forwardedAt.get(first)!.localPort;
  await keepAliveLatencies(local, '/hello.txt', 10);
  await keepAliveLatencies(first, '/hello.txt', 10);
  const through = await keepAliveLatencies(local, '/hello.txt', REQUESTS);
  const direct = await keepAliveLatencies(first, '/hello.txt', REQUESTS);

  // Cost of forwards: one port, then twenty, over the same master.
  for (const [pid, session] of [...running].slice(1)) {
    await stopWorkspaceServer(shell, pid);
    session.kill();
    running.delete(pid);
  }
  await until('one forward left', async () => (forwardCount() === 1 ? true : undefined), 60_000);
  const one = { processes: clientSshProcesses(), masterFds: fdCount(master()), ownFds: fdCount('self') };

  const more: number[] = [];
  while (more.length < MANY - 1) {
    const port = await freePortIn(3000, 9999);
    if (!more.includes(port) && port !== first) more.push(port);
  }
  const many = await startWorkspaceServer(shell, work, `exec python3 serve.py ${more.join(' ')}`, more);
  running.set(many.pid, many.session);
  await until(`${MANY} forwards`, async () => (forwardCount() === MANY ? true : undefined), 60_000);
  // Counted before any request, so the figures are the forwards' own and not kept-alive connections'.
  const twenty = { processes: clientSshProcesses(), masterFds: fdCount(master()), ownFds: fdCount('self') };
  for (const port of more) {
    const response = await fetch(`http://127.0.0.1:${forwardedAt.get(port)!.localPort}/hello.txt`);
    if ((await response.text()) !== 'hello from the workspace\n') throw new Error(`the forward of ${port} did not serve the workspace's file`);
  }

  report(`Forwarded ports (a sandbox workspace, real sshd, python http.server, one ssh master)`, {
    [`keep-alive GET through the forward, median of ${REQUESTS}`]: ms(median(through)),
    [`baseline: the same GET straight to the server's port, median of ${REQUESTS}`]: ms(median(direct)),
    'forwarded / direct': (median(through) / median(direct)).toFixed(2),
    [`server listening to port forwarded, median of ${DETECTIONS}`]: ms(median(detections)),
    'baseline: status interval while watched': ms(WATCHED_INTERVAL_MS),
    'listening-to-forwarded / status interval': (median(detections) / WATCHED_INTERVAL_MS).toFixed(2),
    'ssh processes (master and its children), 1 port': one.processes,
    [`ssh processes (master and its children), ${MANY} ports`]: twenty.processes,
    [`ssh processes ${MANY} / 1`]: (twenty.processes / one.processes).toFixed(2),
    'ssh master open fds, 1 port': one.masterFds,
    [`ssh master open fds, ${MANY} ports`]: twenty.masterFds,
    'ssh master fds per added port': ((twenty.masterFds - one.masterFds) / (MANY - 1)).toFixed(2),
    'this process open fds, 1 port': one.ownFds,
    [`this process open fds, ${MANY} ports`]: twenty.ownFds,
  });
} finally {
  for (const [pid, session] of running) {
    await stopWorkspaceServer(shell, pid).catch(() => undefined);
    session.kill();
  }
  stopWatching?.();
  await ports?.close();
  await tunnels.closeAll();
  gateway.close();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}
