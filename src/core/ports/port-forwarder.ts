import { createServer } from 'node:net';
import type { ForwardedPort, ListeningPort } from '../../shared/ports.js';
import type { Workspace } from '../../shared/workspace.js';
import { controlForward, type LocalForward } from '../access/ssh-control.js';
import { freeLoopbackPort, tunnelTargetOf } from '../access/ssh-tunnel.js';
import type { TunnelLease, TunnelManager } from '../access/tunnel-manager.js';
import { isPortholeError } from '../errors.js';
import { plannedForwards, type PortPreferences, type WantedForward } from './forward-plan.js';

/** A change to one workspace's forwards; `ready` names forwards just made for a port that listens (the "your app is ready" moment). */
export interface PortsChangedEvent {
  workspace: string;
  region: string;
  forwards: ForwardedPort[];
  ready: ForwardedPort[];
  /** Why forwarding does not work right now (the tunnel cannot connect, say). */
  problem?: string;
}

export interface PortForwarderDependencies {
  tunnels: TunnelManager;
  /** The user's choices for a workspace's ports (the ports store in the app; fixed ones for `porthole forward`). */
  preferences: (ref: { region: string; name: string }) => Promise<PortPreferences>;
  /** Ports its layers or porthole.json declare: always forwarded. */
  declared?: (ref: { region: string; name: string }) => Promise<number[]>;
  onChange?: (event: PortsChangedEvent) => void;
  sshCommand?: string;
}

interface Active extends ForwardedPort {
  host: ListeningPort['host'];
  /** The local port it was meant to have (it may sit on another when that one was taken). */
  requested: number;
}

interface Entry {
  region: string;
  name: string;
  instanceName?: string;
  listening: ListeningPort[];
  ready: boolean;
  lease?: TunnelLease;
  forwards: Map<number, Active>;
  problem?: string;
  /** Reconciliations of one workspace run one after another. */
  queue: Promise<void>;
}

/**
 * Forwards each ready workspace's ports over its one SSH connection (the
 * tunnel's ControlMaster, `ssh -O forward`): what the plan wants is added,
 * what it no longer wants is cancelled, and after a reconnect every forward
 * is put back on the same local port. It holds the workspace's tunnel only
 * while something is forwarded.
 */
export class PortForwarder {
  readonly #deps: PortForwarderDependencies;
  readonly #entries = new Map<string, Entry>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(deps: PortForwarderDependencies) {
    this.#deps = deps;
    this.#unsubscribe = deps.tunnels.events.subscribe((event) => {
      const entry = this.#entries.get(`${event.region}/${event.workspace}`);
      if (!entry) return;
      // A new ssh master after a reconnect has none of the old one's forwards.
      if (event.state === 'up' && event.attempt !== undefined) this.#enqueue(entry, () => this.#reapply(entry));
      if (event.state === 'failed') this.#enqueue(entry, () => this.#lost(entry, event.message ?? 'the tunnel failed'));
    });
  }

  /** A workspace as the engine now sees it: its forwards follow its state and listening ports. */
  update(workspace: Workspace): Promise<void> {
    const key = `${workspace.region}/${workspace.name}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { region: workspace.region, name: workspace.name, listening: [], ready: false, forwards: new Map(), queue: Promise.resolve() };
      this.#entries.set(key, entry);
    }
    if (workspace.instanceName !== undefined) entry.instanceName = workspace.instanceName;
    else delete entry.instanceName;
    entry.ready = workspace.state === 'ready' && workspace.accessMode === 'tunnel';
    entry.listening = workspace.ports ?? entry.listening;
    const target = entry;
    return this.#enqueue(target, () => this.#reconcile(target));
  }

  /** Looks at every known workspace again (the user's choices changed). */
  async reconsider(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => this.#enqueue(entry, () => this.#reconcile(entry))));
  }

  forwards(ref: { region: string; name: string }): ForwardedPort[] {
    return [...(this.#entries.get(`${ref.region}/${ref.name}`)?.forwards.values() ?? [])].map(view);
  }

  problem(ref: { region: string; name: string }): string | undefined {
    return this.#entries.get(`${ref.region}/${ref.name}`)?.problem;
  }

  /** Every workspace with forwards or a problem, for the live file. */
  snapshot(): Record<string, { forwards: ForwardedPort[]; problem?: string }> {
    const all: Record<string, { forwards: ForwardedPort[]; problem?: string }> = {};
    for (const [key, entry] of this.#entries) {
      if (entry.forwards.size > 0 || entry.problem) all[key] = { forwards: this.forwards(entry), ...(entry.problem ? { problem: entry.problem } : {}) };
    }
    return all;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    await Promise.all(
      [...this.#entries.values()].map(async (entry) => {
        await entry.queue;
        await entry.lease?.release();
      }),
    );
    this.#entries.clear();
  }

  #enqueue(entry: Entry, work: () => Promise<void>): Promise<void> {
    entry.queue = entry.queue.then(work).catch((error: unknown) => this.#lost(entry, messageOf(error)));
    return entry.queue;
  }

  async #reconcile(entry: Entry): Promise<void> {
    if (this.#closed) return;
    const ref = { region: entry.region, name: entry.name };
    const wanted = entry.ready ? plannedForwards(entry.listening, (await this.#deps.declared?.(ref)) ?? [], await this.#deps.preferences(ref)) : [];
    const before = JSON.stringify(this.forwards(entry));
    const problemBefore = entry.problem;
    const made: ForwardedPort[] = [];
    if (wanted.length === 0) {
      entry.forwards.clear();
      delete entry.problem;
      const lease = entry.lease;
      delete entry.lease;
      await lease?.release();
    } else {
      entry.lease ??= await this.#deps.tunnels.acquire(tunnelTargetOf(entry));
      const controlPath = this.#controlPath(entry);
      for (const [port, active] of entry.forwards) {
        const still = wanted.find((w) => w.port === port);
        if (still && still.host === active.host && still.origin === active.origin && still.preferredLocalPort === active.requested) {
          active.process = still.process ?? active.process;
          continue;
        }
        await controlForward(controlPath, 'cancel', active, this.#deps.sshCommand).catch(() => undefined);
        entry.forwards.delete(port);
      }
      for (const want of wanted) {
        if (entry.forwards.has(want.port)) continue;
        const active = await this.#forward(controlPath, want, want.preferredLocalPort);
        entry.forwards.set(want.port, active);
        if (entry.listening.some((p) => p.port === want.port)) made.push(view(active));
      }
      delete entry.problem;
    }
    if (JSON.stringify(this.forwards(entry)) !== before || entry.problem !== problemBefore) this.#emit(entry, made);
  }

  /** On the preferred local port when it is free, on a free one otherwise. */
  async #forward(controlPath: string, want: WantedForward, preferred: number): Promise<Active> {
    const first = (await localPortFree(preferred)) ? preferred : await freeLoopbackPort();
    const make = async (localPort: number): Promise<Active> => {
      const forward: LocalForward = { localPort, host: want.host, port: want.port };
      await controlForward(controlPath, 'forward', forward, this.#deps.sshCommand);
      return { port: want.port, localPort, host: want.host, origin: want.origin, requested: want.preferredLocalPort, ...(want.process !== undefined ? { process: want.process } : {}) };
    };
    try {
      return await make(first);
    } catch (error) {
      // Taken between the look and ssh's bind: once more on a port nobody holds.
      if (!isPortholeError(error, 'name-taken')) throw error;
      return make(await freeLoopbackPort());
    }
  }

  async #reapply(entry: Entry): Promise<void> {
    if (this.#closed || !entry.lease) return;
    const controlPath = this.#controlPath(entry);
    for (const [port, active] of entry.forwards) {
      const again = await this.#forward(controlPath, { ...active, preferredLocalPort: active.requested }, active.localPort);
      entry.forwards.set(port, again);
    }
    this.#emit(entry, []);
  }

  /** The tunnel is gone for good: its forwards with it; the next update tries afresh. */
  async #lost(entry: Entry, problem: string): Promise<void> {
    entry.forwards.clear();
    entry.problem = problem;
    const lease = entry.lease;
    delete entry.lease;
    await lease?.release().catch(() => undefined);
    this.#emit(entry, []);
  }

  #controlPath(entry: Entry): string {
    const path = this.#deps.tunnels.controlPath(tunnelTargetOf(entry));
    if (!path) throw new Error(`the tunnel to ${entry.name} is not up`);
    return path;
  }

  #emit(entry: Entry, ready: ForwardedPort[]): void {
    this.#deps.onChange?.({ workspace: entry.name, region: entry.region, forwards: this.forwards(entry), ready, ...(entry.problem ? { problem: entry.problem } : {}) });
  }
}

function view(active: ForwardedPort): ForwardedPort {
  return { port: active.port, localPort: active.localPort, origin: active.origin, ...(active.process !== undefined ? { process: active.process } : {}) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether nothing listens on 127.0.0.1:port here (binding it is the only sure way to know). */
export function localPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
