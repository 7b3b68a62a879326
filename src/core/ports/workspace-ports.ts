import { randomUUID } from 'node:crypto';
import type { WorkspacePortView } from '../../shared/ports.js';
import type { Workspace } from '../../shared/workspace.js';
import type { TunnelManager } from '../access/tunnel-manager.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { PortForwarder, type PortsChangedEvent } from './port-forwarder.js';
import { LiveForwardsFile, PortPreferencesStore } from './port-preferences-store.js';

export interface WorkspacePortsOptions {
  dataDir: string;
  account: string;
  engine: { list(): Workspace[]; events: { subscribe(listener: (event: WorkspaceEvent) => void): () => void } };
  tunnels: TunnelManager;
  onChange?: (event: PortsChangedEvent) => void;
  /** How often the ports store is checked for another process's request (`porthole forward --background`). */
  requestCheckMs?: number;
}

/** States in which a workspace no longer runs: the ports the user stopped on it count again when it next runs. */
const NOT_RUNNING = new Set(['stopping', 'stopped', 'hibernating', 'hibernated', 'deleting']);

/**
 * The ports of an account's workspaces in a long-running process (the app,
 * `porthole ui`): forwarded as the engine finds them and as the user's
 * choices in the ports store say, with what is forwarded published in the
 * live file for the CLI. A port the user stops stays stopped for this
 * session: until the workspace stops or this process ends.
 */
export class WorkspacePorts {
  /** This run: the ports store's stops are this session's only. */
  readonly session = randomUUID();
  readonly store: PortPreferencesStore;
  readonly forwarder: PortForwarder;
  readonly #live: LiveForwardsFile;
  readonly #unsubscribe: () => void;
  readonly #timer: NodeJS.Timeout;
  #version = -1;
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly options: WorkspacePortsOptions) {
    const ref = (r: { region: string; name: string }) => ({ account: options.account, region: r.region, name: r.name });
    this.store = new PortPreferencesStore(options.dataDir, this.session);
    this.#live = new LiveForwardsFile(options.dataDir, options.account);
    this.forwarder = new PortForwarder({
      tunnels: options.tunnels,
      preferences: (r) => this.store.get(ref(r)),
      // What its layers and porthole.json declare, as its record (so the engine) has it now.
      declared: async (r) => options.engine.list().find((w) => w.region === r.region && w.name === r.name)?.declaredPorts ?? [],
      onChange: (event) => {
        this.#publish();
        options.onChange?.(event);
      },
    });
    this.#unsubscribe = options.engine.events.subscribe((event) => {
      if (event.type === 'workspace-changed') void this.forwarder.update(event.workspace);
      if ((event.type === 'workspace-changed' && NOT_RUNNING.has(event.workspace.state)) || event.type === 'workspace-removed') {
        // A ports.json that cannot be read is reported where the user looks at ports; here it only keeps old stops.
        this.#forgetStops(event.workspace).catch(() => undefined);
      }
    });
    for (const workspace of options.engine.list()) void this.forwarder.update(workspace);
    this.#publish();
    this.#timer = setInterval(() => void this.#checkRequests(), options.requestCheckMs ?? 1_000);
    this.#timer.unref();
  }

  /** A workspace's Ports panel: its listening ports and its forwards, by port. */
  view(workspace: Workspace): WorkspacePortView[] {
    return portViews(workspace, this.forwarder.forwards(workspace));
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe();
    await this.forwarder.close();
    await this.#writing;
    await this.#live.remove();
  }

  async #forgetStops(workspace: Workspace): Promise<void> {
    const ref = { account: this.options.account, region: workspace.region, name: workspace.name };
    if ((await this.store.get(ref)).stopped.length > 0) await this.store.update(ref, (p) => ({ ...p, stopped: [] }));
  }

  async #checkRequests(): Promise<void> {
    const version = await this.store.version();
    if (version === this.#version) return;
    this.#version = version;
    await this.forwarder.reconsider();
  }

  #publish(): void {
    this.#writing = this.#writing.then(() => this.#live.write({ pid: process.pid, session: this.session, workspaces: this.forwarder.snapshot() })).catch(() => undefined);
  }
}

/** Listening ports and forwards side by side, one line per port. */
export function portViews(workspace: Pick<Workspace, 'ports'>, forwards: ReadonlyArray<{ port: number; localPort: number; origin: WorkspacePortView['origin']; process?: string }>): WorkspacePortView[] {
  const lines = new Map<number, WorkspacePortView>();
  for (const port of workspace.ports ?? []) lines.set(port.port, { port: port.port, ...(port.process !== undefined ? { process: port.process } : {}), listening: true });
  for (const forward of forwards) {
    const line = lines.get(forward.port) ?? { port: forward.port, ...(forward.process !== undefined ? { process: forward.process } : {}), listening: false };
    lines.set(forward.port, { ...line, localPort: forward.localPort, localAddress: `http://127.0.0.1:${forward.localPort}`, ...(forward.origin ? { origin: forward.origin } : {}) });
  }
  return [...lines.values()].sort((a, b) => a.port - b.port);
}
