import { get } from 'node:http';
import { isPortholeError } from '../errors.js';
import { tunnelKey, type SshTunnel, type TunnelTarget } from './ssh-tunnel.js';
import { TunnelEventStream } from './tunnel-events.js';

/** Opens one tunnel; on reconnection it asks for the same local port so open pages keep working. */
export type TunnelOpener = (target: TunnelTarget, localPort?: number) => Promise<SshTunnel>;

export interface TunnelManagerOptions {
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** Failed health checks in a row before the tunnel counts as dead and is rebuilt. */
  healthFailures?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * Where a workspace's tunnel goes now. A restore in place gives the
   * workspace a new instance: a reconnection follows it, on the same local
   * port, so an open window carries on instead of asking the deleted one.
   */
  locate?: (target: TunnelTarget) => TunnelTarget;
}

/** A user's hold on a workspace's tunnel. */
export interface TunnelLease {
  localPort: number;
  release(): Promise<void>;
}

interface Entry {
  key: string;
  target: TunnelTarget;
  users: number;
  ready: Promise<void>;
  tunnel?: SshTunnel;
  localPort?: number;
  closing: boolean;
  healthTimer?: NodeJS.Timeout;
  misses: number;
  wake?: () => void;
}

/**
 * One tunnel per open workspace, shared by every user (window, browser,
 * CLI): health-checked through code-server's /healthz, rebuilt with backoff
 * and a fresh certificate when ssh dies, closed when the last user leaves.
 */
export class TunnelManager {
  readonly events = new TunnelEventStream();
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<TunnelManagerOptions>;

  constructor(
    readonly open: TunnelOpener,
    options: TunnelManagerOptions = {},
  ) {
    this.#options = { healthIntervalMs: 5_000, healthTimeoutMs: 3_000, healthFailures: 2, backoffBaseMs: 250, backoffMaxMs: 10_000, locate: (target) => target, ...options };
  }

  async acquire(target: TunnelTarget): Promise<TunnelLease> {
    const key = tunnelKey(target);
    let entry = this.#entries.get(key);
    if (!entry) {
      const created: Entry = { key, target, users: 0, closing: false, misses: 0, ready: Promise.resolve() };
      created.ready = this.#first(key, created);
      this.#entries.set(key, created);
      entry = created;
    }
    entry.users += 1;
    try {
      await entry.ready;
    } catch (error) {
      entry.users -= 1;
      throw error;
    }
    const held = entry;
    let released = false;
    return {
      localPort: held.localPort!,
      release: async () => {
        if (released) return;
        released = true;
        held.users -= 1;
        if (held.users === 0) await this.#close(held);
      },
    };
  }

  /** Local port of a workspace's tunnel while it is up. */
  localPort(target: TunnelTarget): number | undefined {
    return this.#entries.get(tunnelKey(target))?.localPort;
  }

  /** The control socket of a workspace's tunnel while it is up: more forwards ride that connection. */
  controlPath(target: TunnelTarget): string | undefined {
    return this.#entries.get(tunnelKey(target))?.tunnel?.controlPath;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => this.#close(entry)));
  }

  async #first(key: string, entry: Entry): Promise<void> {
    this.#emit(entry, 'connecting');
    try {
      entry.tunnel = await this.open(entry.target);
    } catch (error) {
      this.#entries.delete(key);
      this.#emit(entry, 'failed', { message: messageOf(error) });
      throw error;
    }
    entry.localPort = entry.tunnel.localPort;
    this.#watch(entry, entry.tunnel);
    this.#emit(entry, 'up');
  }

  #watch(entry: Entry, tunnel: SshTunnel): void {
    void tunnel.process.exited.then(() => {
      if (!entry.closing && entry.tunnel === tunnel) void this.#reconnect(entry);
    });
    clearInterval(entry.healthTimer);
    entry.misses = 0;
    entry.healthTimer = setInterval(() => void this.#check(entry, tunnel), this.#options.healthIntervalMs);
    entry.healthTimer.unref();
  }

  async #check(entry: Entry, tunnel: SshTunnel): Promise<void> {
    if (entry.closing || entry.tunnel !== tunnel) return;
    if (await healthy(tunnel.localPort, this.#options.healthTimeoutMs)) {
      entry.misses = 0;
      return;
    }
    entry.misses += 1;
    // A hung connection keeps ssh alive; ending it hands over to the reconnection on exit.
    if (entry.misses >= this.#options.healthFailures) tunnel.process.kill();
  }

  async #reconnect(entry: Entry): Promise<void> {
    clearInterval(entry.healthTimer);
    for (let attempt = 1; !entry.closing; attempt++) {
      this.#emit(entry, 'reconnecting', { attempt });
      const delay = Math.min(this.#options.backoffBaseMs * 2 ** (attempt - 1), this.#options.backoffMaxMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        entry.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (entry.closing) return;
      this.#follow(entry);
      try {
        const tunnel = await this.open(entry.target, entry.localPort);
        if (entry.closing) {
          await tunnel.close();
          return;
        }
        entry.tunnel = tunnel;
        this.#watch(entry, tunnel);
        this.#emit(entry, 'up', { attempt });
        return;
      } catch (error) {
        // A changed host key or a refused certificate will not fix itself: stop and say so.
        if (isPortholeError(error, 'access-denied') || isPortholeError(error, 'credentials')) {
          // The next open starts afresh (and meets the same check) instead of sharing this dead tunnel.
          if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
          this.#emit(entry, 'failed', { message: messageOf(error), attempt });
          return;
        }
      }
    }
  }

  /** Moves the entry to the workspace's instance of now; its users keep their leases and local port. */
  #follow(entry: Entry): void {
    const now = this.#options.locate(entry.target);
    const key = tunnelKey(now);
    if (key === entry.key) return;
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    entry.key = key;
    entry.target = now;
    // A tunnel opened to the new instance meanwhile keeps its place; this one lives on for its own users.
    if (!this.#entries.has(key)) this.#entries.set(key, entry);
  }

  async #close(entry: Entry): Promise<void> {
    if (entry.closing) return;
    entry.closing = true;
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    clearInterval(entry.healthTimer);
    entry.wake?.();
    await entry.ready.catch(() => {});
    await entry.tunnel?.close();
    this.#emit(entry, 'closed');
  }

  #emit(entry: Entry, state: 'connecting' | 'up' | 'reconnecting' | 'failed' | 'closed', extra: { attempt?: number; message?: string } = {}): void {
    this.events.emit({
      type: 'tunnel-changed',
      workspace: entry.target.workspace,
      region: entry.target.region,
      state,
      ...(entry.localPort !== undefined ? { localPort: entry.localPort } : {}),
      instance: entry.target.instance ?? entry.target.workspace,
      ...extra,
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** code-server answers /healthz without a login; any answer means the tunnel carries traffic. */
export function healthy(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
