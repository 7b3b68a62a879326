/** How many Lightsail calls the emulator has answered since it started: a client's polling can be counted from outside. */
export interface CallCountReport {
  total: number;
  /** By operation name, e.g. `GetInstances`. */
  byOperation: Record<string, number>;
}

/** Counts every well-formed Lightsail call (signed, a known operation), whether it succeeds, fails or meets a fault. */
export class CallCounts {
  readonly #byOperation = new Map<string, number>();

  record(operation: string): void {
    this.#byOperation.set(operation, (this.#byOperation.get(operation) ?? 0) + 1);
  }

  report(): CallCountReport {
    const byOperation = Object.fromEntries([...this.#byOperation].sort(([a], [b]) => a.localeCompare(b)));
    return { total: Object.values(byOperation).reduce((sum, n) => sum + n, 0), byOperation };
  }
}
