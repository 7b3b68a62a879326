import { Random } from './random.js';

/** Failures a test or a curious user can switch on to see how a client copes. */
export interface FaultSettings {
  /** Share of API calls refused with ThrottlingException, 0..1. */
  throttleRate: number;
  /** Share of API calls failing with ServiceException (HTTP 500), 0..1. */
  serverErrorRate: number;
  /** Wall-clock delay added before every API call is answered. */
  latencyMs: number;
  /** Wall-clock time a newly created instance stays invisible to reads. */
  eventualConsistencyMs: number;
  /** Instances that never finish stopping while listed; `*` means every instance. */
  stuckStopping: string[];
}

export const NO_FAULTS: FaultSettings = {
  throttleRate: 0,
  serverErrorRate: 0,
  latencyMs: 0,
  eventualConsistencyMs: 0,
  stuckStopping: [],
};

export class Faults {
  #settings: FaultSettings = { ...NO_FAULTS };
  #random: Random;
  #fired = { throttle: 0, 'server-error': 0 };

  constructor(seed?: number) {
    this.#random = new Random(seed);
  }

  get settings(): FaultSettings {
    return { ...this.#settings, stuckStopping: [...this.#settings.stuckStopping] };
  }

  set(changes: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.#settings, ...changes };
    for (const key of ['throttleRate', 'serverErrorRate'] as const) {
      if (!(next[key] >= 0 && next[key] <= 1)) throw new RangeError(`${key} must be between 0 and 1, not ${next[key]}`);
    }
    for (const key of ['latencyMs', 'eventualConsistencyMs'] as const) {
      if (!(next[key] >= 0 && Number.isFinite(next[key]))) throw new RangeError(`${key} must be zero or more, not ${next[key]}`);
    }
    if (!Array.isArray(next.stuckStopping) || next.stuckStopping.some((n) => typeof n !== 'string')) {
      throw new RangeError('stuckStopping must be a list of instance names');
    }
    this.#settings = { ...next, stuckStopping: [...next.stuckStopping] };
    return this.settings;
  }

  clear(): void {
    this.#settings = { ...NO_FAULTS, stuckStopping: [] };
  }

  /** How many calls each kind of fault has refused so far: proof that a suite's faults really happened. */
  get fired(): Readonly<Record<'throttle' | 'server-error', number>> {
    return { ...this.#fired };
  }

  /** Decided once per call, in order, so a seeded run fails the same calls each time. */
  draw(): 'throttle' | 'server-error' | undefined {
    const { throttleRate, serverErrorRate } = this.#settings;
    if (throttleRate === 0 && serverErrorRate === 0) return undefined;
    const roll = this.#random.next();
    const fault = roll < throttleRate ? 'throttle' : roll < throttleRate + serverErrorRate ? 'server-error' : undefined;
    if (fault) this.#fired[fault]++;
    return fault;
  }

  isStuckStopping(instanceName: string): boolean {
    const stuck = this.#settings.stuckStopping;
    return stuck.includes('*') || stuck.includes(instanceName);
  }
}
