import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { instanceHostKeys, sshCaPublicKeyLine } from '../access-details.js';
import type { Account } from '../account.js';
import { findBlueprint } from '../catalogue.js';
import type { InstanceData } from '../world.js';
import { prepareBoxAws } from './box-aws.js';
import { healthzAnswers, spawnCodeServer, writeCodeServerFiles } from './code-server.js';
import { CODE_SERVER_MISSING } from './code-server-install.js';
import { raiseIdleWarning } from './idle-warning.js';
import { appendOutput, appendSyslog, instanceLogFiles } from './instance-logs.js';
import { readDiskConfig, readIdleAgent, readLaunchId } from './launch-config.js';
import { INSTANCE_MARK, type Spawned, freeLoopbackPort, markedProcesses, portAnswers, sleep, terminate, writePidFile } from './processes.js';
import { ProvisionMarkers } from './provision-markers.js';
import { admits } from '../port-rules.js';
import { type SshFirewall, startSshFirewall } from './ssh-firewall.js';
import { SSHD_MISSING, findSshd, localUser, startSshd } from './sshd.js';

export interface RuntimeOptions {
  /** Where each instance keeps its folder (keys, configs, pid files, code-server's data). */
  dir: string;
  /** The code-server binary, or how to look for it at each start (so an install while the emulator runs counts); without one, instances say how to install it. */
  codeServer?: string | (() => string | undefined);
  /** The sshd binary; found in the usual places when not given. */
  sshd?: string;
  /**
   * Start an instance's processes only once someone asks where it listens
   * (the endpoints route), not as soon as it runs: for a short-lived process
   * serving the sandbox, such as one CLI command, that would start and kill
   * a code-server per running instance for nothing.
   */
  startOnDemand?: boolean;
  /**
   * How long an instance's provisioning takes before code-server starts
   * (default 1 s): a real launch script installs packages for minutes; the
   * sandbox installs nothing but stays in that step long enough to be seen.
   */
  provisionMs?: number;
  /**
   * How long sshd answers before a new launch's script begins (default 0):
   * on a real instance cloud-init runs it late in boot, and meanwhile the
   * disk shows only the markers it came with (from a snapshot or an image).
   */
  bootMs?: number;
  /** The address a connection from `socketAddress` counts as coming from, for an instance's firewall (the socket's own by default). */
  callerAddress?: (socketAddress: string) => string;
  /** lightsail-local's identity server, where the AWS CLI on an instance signs in and asks STS who it is. */
  identityEndpoint?: string;
}

export interface Endpoint {
  host: '127.0.0.1';
  port: number;
}

/** What `GET /_emulator/instances/<region>/<name>/endpoints` answers for a running instance. */
export interface InstanceEndpoints {
  /** `user` is the local account the certificate's principal maps to: sandbox instances share this machine's users. */
  ssh: Endpoint & { user: string };
  /** Where code-server listens: the address an SSH tunnel forwards to (8080 on a real instance; for direct access the TLS port, as `direct`). */
  codeServer: Endpoint;
  /** The TLS address of a direct-access instance (8443 on a real one); null for tunnel access. */
  direct: Endpoint | null;
}

type Slot = {
  arn: string;
  dir: string;
  /** What the processes are doing, or why there are none. */
  status: 'starting' | 'running' | 'failed' | 'stopping' | 'stopped';
  problem?: string;
  endpoints?: InstanceEndpoints;
  /** Set once sshd listens, while code-server may still be coming up: what a status read over SSH needs. */
  sshReady?: InstanceEndpoints;
  /** sshd's own port, behind the firewall the published SSH port is. */
  sshdPort?: number;
  firewall?: SshFirewall;
  /** This start runs a new launch's provisioning (not a restart of a provisioned instance). */
  provisioning?: boolean;
  busy?: Promise<void>;
};

/** When the endpoints route answers: once everything runs (a tunnel needs code-server), or once sshd listens (a status read). */
export type EndpointsWait = 'all' | 'ssh';

const START_TIMEOUT_MS = 30_000;
const SSH_PORT = 22;
/** sshd writes its own pid file; the runtime records both processes it started as well. */
const PID_FILES = ['sshd.pid', 'sshd.pid.own', 'code-server.pid'];

/**
 * Real processes behind the emulator's instances: while an instance is
 * `running` it has a private sshd and a code-server on loopback; when it
 * stops they stop, when it is deleted its folder goes. The runtime follows
 * the stored world (it never changes instance states), so every transition
 * keeps its emulated duration.
 */
export class InstanceRuntime {
  readonly #slots = new Map<string, Slot>();
  /** Instances someone asked for, in on-demand mode; forgotten when they stop. */
  readonly #demanded = new Set<string>();
  readonly #sshd: string | undefined;
  #closed = false;

  constructor(
    readonly account: Account,
    readonly options: RuntimeOptions,
  ) {
    this.#sshd = options.sshd === undefined ? findSshd() : existsSync(options.sshd) ? options.sshd : undefined;
  }

  /** Ends whatever an earlier emulator on this folder left running (it crashed, or was killed) and drops folders of instances that are gone. */
  async sweep(): Promise<void> {
    const folders: Array<{ region: string; name: string; dir: string }> = [];
    for (const region of await readdir(this.options.dir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.options.dir, region)).catch(() => [] as string[])) folders.push({ region, name, dir: join(this.options.dir, region, name) });
    }
    const pidFiles = folders.flatMap(({ dir }) => PID_FILES.map((file) => join(dir, file)));
    await terminate(await markedProcesses(this.options.dir, pidFiles));
    for (const { region, name, dir } of folders) {
      if (!this.account.data.regions[region]?.instances[name]) await rm(dir, { recursive: true, force: true });
    }
  }

  /** Brings the processes in line with the instances' states; cheap enough to call after every change. */
  reconcile(): void {
    if (this.#closed) return;
    const wanted = new Map<string, InstanceData>();
    for (const [region, data] of Object.entries(this.account.data.regions)) {
      for (const instance of Object.values(data.instances)) {
        const instanceKey = key(region, instance.name);
        // A change under way while running is a reboot (or a delete): the processes go down until it is done.
        if (instance.state !== 'running' || instance.transition) this.#demanded.delete(instanceKey);
        else if (!this.options.startOnDemand || this.#demanded.has(instanceKey)) wanted.set(instanceKey, instance);
      }
    }
    for (const [slotKey, slot] of this.#slots) {
      const instance = wanted.get(slotKey);
      if (slot.busy) continue;
      if (!instance || instance.arn !== slot.arn) {
        if (slot.status !== 'stopped') this.#run(slot, () => this.#stop(slot));
        else if (!this.#exists(slotKey, slot.arn)) {
          // The slot stays (busy) until its folder is gone: a new instance of the same name starts in that same folder.
          this.#run(slot, async () => {
            await rm(slot.dir, { recursive: true, force: true });
            if (this.#slots.get(slotKey) === slot) this.#slots.delete(slotKey);
          });
        }
      }
    }
    for (const [slotKey, instance] of wanted) {
      const slot = this.#slots.get(slotKey);
      if (slot?.busy) continue;
      if (!slot || (slot.status === 'stopped' && slot.arn === instance.arn)) {
        const [region] = slotKey.split('/') as [string];
        const fresh: Slot = slot ?? { arn: instance.arn, dir: join(this.options.dir, region, instance.name), status: 'stopped' };
        this.#slots.set(slotKey, fresh);
        this.#run(fresh, () => this.#start(fresh, instance));
      }
    }
  }

  /** The instance's published addresses, or why it has none; waits for processes that are starting, so a client need not poll. */
  async endpoints(region: string, name: string, until: EndpointsWait = 'all'): Promise<{ endpoints: InstanceEndpoints } | { error: string; starting?: true }> {
    const instance = this.account.data.regions[region]?.instances[name];
    if (!instance) return { error: `No instance named ${name} in ${region}.` };
    if (instance.state !== 'running') return { error: `The instance '${name}' is ${instance.state}; it has processes only while running. Start it and wait until it is running.` };
    if (instance.transition) return { error: `The instance '${name}' is ${instance.transition.to === 'gone' ? 'being deleted' : 'rebooting'}; its processes are down until that finishes.` };
    this.#demanded.add(key(region, name));
    const failed = this.#slots.get(key(region, name));
    // A status read finds a failed provisioning through the sshd it left up.
    if (until === 'ssh' && failed?.status === 'failed' && failed.sshReady && !failed.busy) return { endpoints: failed.sshReady };
    // Asking again is the moment to retry: the user may have fixed what failed (installed code-server, say).
    if (failed?.status === 'failed' && !failed.busy) failed.status = 'stopped';
    this.reconcile();
    await this.#settled(key(region, name), until);
    const slot = this.#slots.get(key(region, name));
    if (slot?.status === 'running' && slot.endpoints) return { endpoints: slot.endpoints };
    if (until === 'ssh' && slot?.status === 'starting' && slot.sshReady) return { endpoints: slot.sshReady };
    if (slot?.status === 'failed') return { error: `The instance '${name}' is running but its sandbox processes are not: ${slot.problem ?? 'they failed to start'}` };
    const error = `The instance '${name}' is running and its sshd and code-server are starting; ask again in a moment.`;
    // Still starting after the wait: asking again will do, as with a booting instance's port 22.
    return slot?.busy || slot?.provisioning ? { error, starting: true } : { error };
  }

  /**
   * Waits until the instance's slot is at rest, or (for a status read) its sshd
   * listens, within the start timeout. One piece of work may hand over to the
   * next (an old instance's folder removed, then the new one's start), so each
   * round looks the slot up again.
   */
  async #settled(slotKey: string, until: EndpointsWait): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS + 5_000;
    while (Date.now() < deadline && !this.#closed) {
      const slot = this.#slots.get(slotKey);
      if (!slot?.busy || (until === 'ssh' && slot.sshReady)) return;
      // A short look again: sshd listening sets no promise off, and a long timer would outlive the answer.
      await Promise.race([slot.busy, sleep(until === 'ssh' ? 50 : 500)]);
    }
  }

  /** Has the instance's own idle agent warn that it stops in `minutes`, as it does after that long idle; for tests and demos. */
  async idleWarning(region: string, name: string, minutes: number): Promise<{ stopsAt: string } | { error: string }> {
    const instance = this.account.data.regions[region]?.instances[name];
    if (!instance) return { error: `No instance named ${name} in ${region}.` };
    const slot = this.#slots.get(key(region, name));
    const sshdPort = slot?.sshdPort;
    if (!slot || !(slot.endpoints ?? slot.sshReady) || sshdPort === undefined || instance.state !== 'running') return { error: `The instance '${name}' has no processes running (it is ${instance.state}); its idle agent runs only while it runs.` };
    const agent = readIdleAgent(launchScriptsOf(instance));
    if (!agent) return { error: `The launch script of '${name}' installs no idle agent (/usr/local/lib/porthole/idle-agent).` };
    const raised = await raiseIdleWarning({
      agent,
      dir: slot.dir,
      markerFile: new ProvisionMarkers(stateDirOf(slot.dir)).idleWarningFile,
      logFile: instanceLogFiles(stateDirOf(slot.dir)).idle,
      sshPort: sshdPort,
      minutes,
    });
    return 'problem' in raised ? { error: raised.problem } : { stopsAt: raised.stopsAt.toISOString() };
  }

  /** Waits for every start and stop under way; used by tests and by close. */
  async settled(): Promise<void> {
    for (;;) {
      const busy = [...this.#slots.values()].map((slot) => slot.busy).filter((b) => b !== undefined);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
    await Promise.all([...this.#slots.values()].map((slot) => this.#stop(slot)));
  }

  #exists(slotKey: string, arn: string): boolean {
    const [region, name] = slotKey.split('/') as [string, string];
    return this.account.data.regions[region]?.instances[name]?.arn === arn;
  }

  #run(slot: Slot, work: () => Promise<unknown>): void {
    slot.busy = work()
      .then(() => undefined)
      .catch((error: unknown) => {
        slot.status = 'failed';
        slot.problem = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        delete slot.busy;
        // The world may have moved on while this ran.
        this.reconcile();
      });
  }

  async #start(slot: Slot, instance: InstanceData): Promise<void> {
    slot.status = 'starting';
    delete slot.problem;
    delete slot.endpoints;
    const codeServerBin = typeof this.options.codeServer === 'function' ? this.options.codeServer() : this.options.codeServer;
    if (!codeServerBin) return this.#fail(slot, CODE_SERVER_MISSING);
    if (!this.#sshd) return this.#fail(slot, SSHD_MISSING);
    const launchScripts = launchScriptsOf(instance);
    const config = readDiskConfig(launchScripts);
    if ('problem' in config) return this.#fail(slot, `${config.problem}.`);
    // Stray processes of this folder (a start cut short) would hold its ports and files.
    await terminate(await markedProcesses(slot.dir, PID_FILES.map((file) => join(slot.dir, file))));
    // A failed start asked for again still has its firewall in front of the sshd just ended.
    await slot.firewall?.close();
    delete slot.firewall;
    if (this.#closed) return;
    const [hostKeys, caLine, sshPort, codeServerPort] = await Promise.all([
      instanceHostKeys(this.account, instance, this.account.clock.now()),
      sshCaPublicKeyLine(this.account),
      freeLoopbackPort(),
      freeLoopbackPort(),
    ]);
    const markers = new ProvisionMarkers(stateDirOf(slot.dir), readLaunchId(instance.userData));
    const provisioning = await markers.begin(instance.progress ?? instance.baseDisk?.progress);
    const boxEnv = await prepareBoxAws(slot.dir, launchScripts, this.options.identityEndpoint);
    slot.provisioning = provisioning;
    const logs = instanceLogFiles(markers.stateDir);
    const sshd = await startSshd({
      sshd: this.#sshd,
      dir: slot.dir,
      port: sshPort,
      hostKeys,
      caPublicKeyLine: caLine,
      principal: findBlueprint(instance.blueprintId)?.username ?? 'ec2-user',
      // The mark too: a server a session leaves running is the instance's, and its stop or delete must end it as a real one's would.
      sessionEnv: { PORTHOLE_STATE_DIR: markers.stateDir, PORTHOLE_SYSLOG: logs.syslog, ...boxEnv, [INSTANCE_MARK]: slot.dir },
    });
    appendSyslog(sshd.child, logs.syslog, 'sshd');
    await writePidFile(join(slot.dir, 'sshd.pid.own'), sshd.child.pid);
    const sshProblem = await firstProblem([['sshd', sshd, sshPort]], () => this.#closed);
    if (sshProblem) {
      await this.#stop(slot);
      return this.#fail(slot, sshProblem);
    }
    if (this.#closed) return this.#stop(slot);
    slot.sshdPort = sshPort;
    // The instance's rules as they are when each connection comes: a change applies to the next one.
    const callerAddress = this.options.callerAddress ?? ((address: string) => address);
    slot.firewall = await startSshFirewall(sshPort, (address) => admits(instance.ports, SSH_PORT, callerAddress(address)));
    const endpoints: InstanceEndpoints = {
      ssh: { host: '127.0.0.1', port: slot.firewall.port, user: localUser() },
      codeServer: { host: '127.0.0.1', port: codeServerPort },
      direct: config.accessMode === 'direct' ? { host: '127.0.0.1', port: codeServerPort } : null,
    };
    // As on a real instance, sshd answers while the workspace is still being provisioned.
    slot.sshReady = endpoints;
    const tls = instance.tls ?? instance.baseDisk?.tls;
    const setup = { bin: codeServerBin, dir: join(slot.dir, 'code-server'), port: codeServerPort, config, ...(tls ? { tls } : {}) };
    const started = await (async () => {
      if (provisioning) await sleep(this.options.bootMs ?? 0);
      // The layers' installs happen once per instance, not at each start.
      await markers.step(1, () => (provisioning ? sleep(this.options.provisionMs ?? 1_000) : Promise.resolve(undefined)));
      const files = await markers.step(2, () => writeCodeServerFiles(setup));
      if (files.tls && instance.tls !== files.tls) {
        instance.tls = files.tls;
        this.account.changed();
      }
      const spawned = await markers.step(3, async () => {
        const child = spawnCodeServer(setup, files);
        appendOutput(child.child, logs.codeServer);
        await writePidFile(join(slot.dir, 'code-server.pid'), child.child.pid);
        const failed = await firstProblem([['code-server', child, codeServerPort]], () => this.#closed);
        if (failed) throw new Error(failed);
        return child;
      });
      await markers.step(4, () => untilHealthy(codeServerPort, config.accessMode === 'direct', () => this.#closed));
      return spawned;
    })().catch((error: unknown) => new Error(error instanceof Error ? error.message : String(error)));
    // The disk keeps its markers: a snapshot taken from now on carries them to the instances made from it.
    if (provisioning) {
      instance.progress = await markers.progress();
      this.account.changed();
    }
    if (this.#closed) return this.#stop(slot);
    // Like a real instance whose launch script failed, sshd stays up so the failed step can be read; a start asked for again retries.
    if (started instanceof Error) return this.#fail(slot, started.message);
    const codeServer = started;
    slot.endpoints = endpoints;
    slot.status = 'running';
    for (const [name, spawned] of [['sshd', sshd], ['code-server', codeServer]] as const) {
      spawned.child.once('exit', (code, signal) => this.#exited(slot, name, `${code ?? signal}`, spawned.output()));
    }
  }

  /** A process that dies on its own leaves the instance running without it, and the route says so. */
  #exited(slot: Slot, name: string, how: string, output: string): void {
    if (slot.status !== 'running' || slot.busy) return;
    slot.status = 'failed';
    slot.problem = `its ${name} exited (${how}). ${output}`.trim();
    delete slot.endpoints;
    delete slot.sshReady;
  }

  #fail(slot: Slot, problem: string): void {
    slot.status = 'failed';
    slot.problem = problem;
  }

  async #stop(slot: Slot): Promise<void> {
    slot.status = 'stopping';
    delete slot.endpoints;
    delete slot.sshReady;
    delete slot.sshdPort;
    await slot.firewall?.close();
    delete slot.firewall;
    await terminate(await markedProcesses(slot.dir, PID_FILES.map((file) => join(slot.dir, file))));
    await Promise.all(PID_FILES.map((file) => rm(join(slot.dir, file), { force: true })));
    slot.status = 'stopped';
  }
}

/** Every launch script that ran on the instance's disk, oldest first: an image's, then its own. */
function launchScriptsOf(instance: InstanceData): string[] {
  return [...(instance.baseDisk?.launchScripts ?? []), ...(instance.userData !== undefined ? [instance.userData] : [])];
}

function stateDirOf(slotDir: string): string {
  return join(slotDir, 'state');
}

/** code-server listening is not yet code-server serving: its /healthz answers once it can. */
async function untilHealthy(port: number, tls: boolean, closing: () => boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!closing() && !(await healthzAnswers(port, tls))) {
    if (Date.now() > deadline) throw new Error(`code-server on 127.0.0.1:${port} did not answer /healthz within ${START_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

function key(region: string, name: string): string {
  return `${region}/${name}`;
}

/** Waits until every process listens on its port; the first that exits or stays silent is the problem, with its last words. */
async function firstProblem(processes: Array<[string, Spawned, number]>, closing: () => boolean): Promise<string | undefined> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const [name, spawned, port] of processes) {
    for (;;) {
      // The emulator is closing: stop waiting, the caller takes them down.
      if (closing()) return undefined;
      if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
        return `its ${name} exited (${spawned.child.exitCode ?? spawned.child.signalCode}) before listening on 127.0.0.1:${port}: ${spawned.output() || 'it printed nothing'}`;
      }
      if (await portAnswers(port)) break;
      if (Date.now() > deadline) return `its ${name} did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s: ${spawned.output() || 'it printed nothing'}`;
      await sleep(100);
    }
  }
  return undefined;
}
