import type { EmulatedClock } from './clock.js';
import type { Durations } from './durations.js';
import type { Faults } from './faults.js';
import { Random } from './random.js';
import { emptyRegion, type InstanceData, type RegionData, type WorldData } from './world.js';

/** The context of one API call: the region from its signature and the emulated time it arrived. */
export interface Call {
  region: string;
  now: number;
}

/** Advances one resource's pending change; answers true once nothing is left to do. */
export type Settler = (now: number) => boolean;

/**
 * The emulated AWS account: the stored world plus the in-memory indexes and
 * schedules rebuilt from it, shared by every operation module.
 */
export class Account {
  readonly random: Random;
  readonly #sortedInstanceNames = new Map<string, string[]>();
  readonly #settlers = new Map<string, Settler>();
  readonly #hiddenUntil = new Map<string, number>();

  constructor(
    readonly data: WorldData,
    readonly clock: EmulatedClock,
    readonly durations: Durations,
    readonly faults: Faults,
    readonly pageSize: number,
    readonly onChange: () => void,
  ) {
    this.random = new Random(data.randomSeed);
    data.randomSeed = (data.randomSeed + 0x9e3779b9) >>> 0;
  }

  region(name: string): RegionData {
    let region = this.data.regions[name];
    if (!region) {
      region = emptyRegion();
      this.data.regions[name] = region;
    }
    return region;
  }

  nextSequence(): number {
    this.data.sequence += 1;
    return this.data.sequence;
  }

  /** Every mutation reports here, so the state file follows. */
  changed(): void {
    this.onChange();
  }

  /** Instance names of a region in listing order, kept sorted so paging 1,000 instances stays cheap. */
  instanceNames(region: string): string[] {
    let names = this.#sortedInstanceNames.get(region);
    if (!names) {
      names = Object.keys(this.region(region).instances).sort();
      this.#sortedInstanceNames.set(region, names);
    }
    return names;
  }

  addInstance(region: string, instance: InstanceData): void {
    this.region(region).instances[instance.name] = instance;
    this.#sortedInstanceNames.delete(region);
    const delay = this.faults.settings.eventualConsistencyMs;
    if (delay > 0) this.#hiddenUntil.set(`${region}/${instance.name}`, Date.now() + delay);
  }

  removeInstance(region: string, name: string): void {
    delete this.region(region).instances[name];
    this.#sortedInstanceNames.delete(region);
    this.#hiddenUntil.delete(`${region}/${name}`);
  }

  /** False while the eventual-consistency fault still hides a new instance from reads. */
  isVisible(region: string, name: string): boolean {
    const key = `${region}/${name}`;
    const until = this.#hiddenUntil.get(key);
    if (until === undefined) return true;
    if (Date.now() >= until) {
      this.#hiddenUntil.delete(key);
      return true;
    }
    return false;
  }

  schedule(key: string, settler: Settler): void {
    this.#settlers.set(key, settler);
  }

  /** Brings every resource with a change under way up to `now`. */
  settle(now: number): void {
    for (const [key, settler] of this.#settlers) {
      if (settler(now)) this.#settlers.delete(key);
    }
  }
}
