/**
 * The emulated clock. It runs `timeScale` times faster than the wall clock and
 * can be pushed forward by tests; every transition and every cent billed is
 * measured on it, so a test can skip an hour without waiting for one.
 */
export interface ClockReading {
  /** Emulated epoch milliseconds at `realAt`. */
  emulatedAt: number;
  /** Wall-clock epoch milliseconds when the reading was taken. */
  realAt: number;
}

export class EmulatedClock {
  #anchorEmulated: number;
  #anchorReal: number;

  constructor(
    readonly timeScale: number,
    resumeFrom?: ClockReading,
    private readonly wall: () => number = Date.now,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, not ${timeScale}`);
    const real = wall();
    // Time passes while the emulator is down, as it does for a real account.
    this.#anchorEmulated = resumeFrom ? resumeFrom.emulatedAt + (real - resumeFrom.realAt) * timeScale : real;
    this.#anchorReal = real;
  }

  now(): number {
    return this.#anchorEmulated + (this.wall() - this.#anchorReal) * this.timeScale;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`The clock only moves forward; cannot advance by ${ms} ms`);
    this.#anchorEmulated += ms;
  }

  reading(): ClockReading {
    return { emulatedAt: this.now(), realAt: this.wall() };
  }
}
