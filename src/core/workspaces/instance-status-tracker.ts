import type { ListeningPort } from '../../shared/ports.js';
import { isPortholeError } from '../errors.js';
import type { InstanceStatus, InstanceStatusOptions } from './engine-ports.js';
import type { ProvisioningStatus } from './workspace-state.js';

/** A running instance the engine may read, as one refresh saw it. */
export interface RunningInstance {
  key: string;
  /** `launchId` names the launch whose markers count (its tag); an earlier launch's, on a disk from a snapshot, never read as done. */
  ref: { region: string; name: string; instanceName?: string; launchId?: string };
  /** Changes when the instance is replaced (resume makes a new one). */
  instanceId: string;
  launchedAt: number | undefined;
  /** Whether its idle agent may warn (an idle timeout is set), so it is worth reading once provisioned. */
  watchIdle: boolean;
}

interface Tracked {
  instance: RunningInstance;
  instanceId: string;
  status?: InstanceStatus;
  /** The last read failed in a way waiting does not fix (no SSH endpoint, a refused certificate). */
  unreadable: boolean;
  failures: number;
  lastAttemptAt?: number;
  reading?: Promise<void>;
}

/** Transient failures: the instance is still booting, or the network hiccuped. */
const TRANSIENT = new Set(['network', 'timeout', 'throttled', 'service']);

/**
 * Which running instances to read and what their last reads said. At most
 * one read per instance per interval, a bounded number at once; a failed
 * read keeps what was known and tries again later. Reads that finish after
 * a refresh are reported through `onRead`, so the refresh never waits for
 * more than the first reads' budget.
 */
export class InstanceStatusTracker {
  readonly #options: Required<Omit<InstanceStatusOptions, 'source'>> & Pick<InstanceStatusOptions, 'source'>;
  readonly #tracked = new Map<string, Tracked>();
  readonly #now: () => number;
  readonly #onRead: (key: string) => void;
  readonly #queue: Array<() => void> = [];
  #active = 0;
  /** Holders of `watch()`: while any, ready instances are read every few seconds, so their ports show soon. */
  #watchers = 0;

  constructor(options: InstanceStatusOptions, now: () => number, onRead: (key: string) => void) {
    this.#options = {
      provisioningIntervalMs: 3_000,
      idleIntervalMs: 120_000,
      watchedIntervalMs: 3_000,
      concurrency: 4,
      firstReadBudgetMs: 3_000,
      provisioningWindowMs: 30 * 60_000,
      ...options,
    };
    this.#now = now;
    this.#onRead = onRead;
  }

  /** Forgets instances no longer running, starts the reads that are due, and waits (within the budget) for first reads. */
  async sync(running: readonly RunningInstance[]): Promise<void> {
    const seen = new Set(running.map((r) => r.key));
    for (const [key, tracked] of this.#tracked) {
      const instance = running.find((r) => r.key === key);
      if (!seen.has(key) || instance?.instanceId !== tracked.instanceId) this.#tracked.delete(key);
    }
    const first: Array<Promise<void>> = [];
    for (const instance of running) {
      let tracked = this.#tracked.get(instance.key);
      if (!tracked) {
        tracked = { instance, instanceId: instance.instanceId, unreadable: false, failures: 0 };
        this.#tracked.set(instance.key, tracked);
      }
      tracked.instance = instance;
      if (tracked.reading || !this.#due(tracked, instance)) continue;
      const isFirst = tracked.lastAttemptAt === undefined;
      tracked.reading = this.#read(instance, tracked);
      if (isFirst) first.push(tracked.reading);
    }
    if (first.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(first), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.firstReadBudgetMs)))]);
    clearTimeout(timer);
  }

  /**
   * What the state derivation takes for a running instance: its markers when
   * read; while unknown, still provisioning if it is young enough for that;
   * nothing (as good as provisioned) once reading it cannot work.
   */
  provisioning(key: string, launchedAt: number | undefined): ProvisioningStatus | undefined {
    const tracked = this.#tracked.get(key);
    if (!tracked) return undefined;
    if (tracked.status) return tracked.status.provisioning;
    if (tracked.unreadable) return undefined;
    const young = launchedAt === undefined || this.#now() - launchedAt < this.#options.provisioningWindowMs;
    return young ? { done: false } : undefined;
  }

  idleStopAt(key: string): Date | undefined {
    return this.#tracked.get(key)?.status?.idleStopAt;
  }

  awsSignIn(key: string): InstanceStatus['awsSignIn'] {
    return this.#tracked.get(key)?.status?.awsSignIn;
  }

  ports(key: string): ListeningPort[] | undefined {
    return this.#tracked.get(key)?.status?.ports;
  }

  /**
   * Someone watches (the dashboard or a workspace's window is open): ready
   * instances are read every `watchedIntervalMs` until the returned release
   * is called, starting now, whether or not anyone refreshes.
   */
  watch(): () => void {
    this.#watchers += 1;
    if (this.#watchers === 1) {
      for (const tracked of this.#tracked.values()) {
        if (tracked.reading) continue;
        if (this.#due(tracked, tracked.instance)) tracked.reading = this.#read(tracked.instance, tracked);
        else this.#followUp(tracked.instance, tracked);
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#watchers -= 1;
    };
  }

  #due(tracked: Tracked, instance: RunningInstance): boolean {
    if (tracked.lastAttemptAt === undefined) return true;
    const provisioning = tracked.status?.provisioning;
    // A failed launch script does not recover by itself; the next start or resume reads afresh.
    if (provisioning?.failure) return false;
    const settled = provisioning?.done === true || tracked.unreadable;
    let interval: number;
    if (settled && this.#watchers > 0) {
      interval = tracked.unreadable ? this.#options.idleIntervalMs : this.#backedOff(this.#options.watchedIntervalMs, tracked);
    } else if (settled) {
      if (!instance.watchIdle && !tracked.unreadable) return false;
      interval = this.#options.idleIntervalMs;
    } else {
      interval = this.#backedOff(this.#options.provisioningIntervalMs, tracked);
    }
    return this.#now() - tracked.lastAttemptAt >= interval;
  }

  async #read(instance: RunningInstance, tracked: Tracked): Promise<void> {
    tracked.lastAttemptAt = this.#now();
    await this.#slot();
    try {
      const status = await this.#options.source.read(instance.ref);
      tracked.status = status;
      tracked.unreadable = false;
      tracked.failures = 0;
    } catch (error) {
      if (isPortholeError(error) && TRANSIENT.has(error.kind)) tracked.failures += 1;
      else tracked.unreadable = true;
    } finally {
      this.#release();
      delete tracked.reading;
    }
    // A read of an instance forgotten meanwhile (stopped, replaced) says nothing any more.
    if (this.#tracked.get(instance.key) !== tracked) return;
    this.#onRead(instance.key);
    this.#followUp(instance, tracked);
  }

  /**
   * While an instance is still provisioning, or is watched, its next read is due whether
   * or not anyone refreshes in time (a poller on its steady schedule would
   * leave the progress bar still for a minute).
   */
  #followUp(instance: RunningInstance, tracked: Tracked): void {
    const provisioning = tracked.status?.provisioning;
    if (provisioning?.failure || tracked.unreadable) return;
    // Once ready, only a watched instance is read on its own schedule (for its ports); the poller's refreshes cover the rest.
    if (provisioning?.done && this.#watchers === 0) return;
    const interval = this.#backedOff(provisioning?.done ? this.#options.watchedIntervalMs : this.#options.provisioningIntervalMs, tracked);
    const timer = setTimeout(() => {
      if (this.#tracked.get(instance.key) !== tracked || tracked.reading || !this.#due(tracked, tracked.instance)) return;
      tracked.reading = this.#read(tracked.instance, tracked);
    }, interval);
    timer.unref();
  }

  /** A quick interval, doubled for each transient failure in a row, never slower than the idle one. */
  #backedOff(base: number, tracked: Tracked): number {
    return Math.min(base * 2 ** Math.min(tracked.failures, 10), this.#options.idleIntervalMs);
  }

  #slot(): Promise<void> {
    if (this.#active < this.#options.concurrency) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(() => resolve()));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#active -= 1;
  }
}
