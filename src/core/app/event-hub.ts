import type { EventName, EventPayload } from '../../shared/contract.js';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Fans the service's events out to every connected UI: the app's window, each browser tab. */
export class EventHub {
  readonly #listeners = new Set<AnyEventListener>();

  subscribe(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, payload);
      } catch (error) {
        // One closed tab must not keep the others from hearing about changes.
        console.error(`A UI listener failed on ${event}:`, error);
      }
    }
  }
}
