import { isPortholeError } from '../errors.js';
import { nextPollDelay } from './poll-policy.js';

/** What the poller drives: the engine, or anything that refreshes the same way. */
export interface Refreshable {
  refresh(): Promise<unknown>;
  isChanging(): boolean;
}

export interface PollerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: PollerTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // The poller alone must not keep a CLI or a test process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Refreshes the engine on the schedule `nextPollDelay` decides: about once
 * a second while something changes, once a minute when steady, backing off
 * while the cloud fails or the network is down.
 */
export class WorkspacePoller {
  readonly #target: Refreshable;
  readonly #timers: PollerTimers;
  readonly #onError: (error: unknown) => void;
  #handle: unknown;
  #running = false;
  #inFlight: Promise<void> | undefined;
  #consecutiveErrors = 0;
  #offline = false;
  #credentialsLost = false;
  readonly #onCredentials: (health: 'expired' | 'ok', error?: unknown) => void;

  constructor(
    target: Refreshable,
    options: { timers?: PollerTimers; onError?: (error: unknown) => void; onCredentials?: (health: 'expired' | 'ok', error?: unknown) => void } = {},
  ) {
    this.#target = target;
    this.#timers = options.timers ?? realTimers;
    this.#onError = options.onError ?? (() => {});
    this.#onCredentials = options.onCredentials ?? (() => {});
  }

  /** Paused because the account's credentials expired or are gone; only a sign-in (resume) or a poke refreshes. */
  isPausedForCredentials(): boolean {
    return this.#credentialsLost;
  }

  /** After a sign-in: refresh at once and, if the credentials work again, go back to the schedule. */
  resume(): Promise<void> {
    return this.poke();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    if (this.#handle !== undefined) this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  /** Refresh now (the user acted, or the network came back); the schedule continues from there. */
  poke(): Promise<void> {
    if (this.#handle !== undefined) this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
    return this.#tick();
  }

  /** The delay the poller would wait now; for the status bar and the benchmarks. */
  currentDelay(): number {
    return nextPollDelay({ changing: this.#target.isChanging(), consecutiveErrors: this.#consecutiveErrors, offline: this.#offline });
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#handle = this.#timers.setTimeout(() => {
      this.#handle = undefined;
      void this.#tick();
    }, ms);
  }

  #tick(): Promise<void> {
    // Two refreshes at once would only race each other to the same answer.
    this.#inFlight ??= (async () => {
      try {
        await this.#target.refresh();
        this.#consecutiveErrors = 0;
        this.#offline = false;
        if (this.#credentialsLost) {
          this.#credentialsLost = false;
          this.#onCredentials('ok');
        }
      } catch (error) {
        // Expired credentials do not heal with time: polling would only repeat the refusal until a sign-in.
        if (isPortholeError(error, 'credentials')) {
          const first = !this.#credentialsLost;
          this.#credentialsLost = true;
          if (first) this.#onCredentials('expired', error);
        } else {
          this.#consecutiveErrors += 1;
          this.#offline = isPortholeError(error, 'network');
        }
        this.#onError(error);
      } finally {
        this.#inFlight = undefined;
        if (this.#running && this.#handle === undefined && !this.#credentialsLost) this.#schedule(this.currentDelay());
      }
    })();
    return this.#inFlight;
  }
}
