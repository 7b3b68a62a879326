import type { ActivityEntry } from '../../shared/contract.js';

/** The recent activity, newest last, bounded so a long-running app keeps a flat memory. */
export class ActivityLog {
  readonly #entries: ActivityEntry[] = [];
  readonly #limit: number;
  readonly #now: () => Date;
  #nextId = 1;

  constructor(options: { limit?: number; now?: () => Date } = {}) {
    this.#limit = options.limit ?? 500;
    this.#now = options.now ?? (() => new Date());
  }

  add(entry: Omit<ActivityEntry, 'id' | 'at'>): ActivityEntry {
    const added: ActivityEntry = { id: this.#nextId++, at: this.#now().toISOString(), ...entry };
    this.#entries.push(added);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return added;
  }

  since(id = 0): ActivityEntry[] {
    return this.#entries.filter((entry) => entry.id > id);
  }
}
