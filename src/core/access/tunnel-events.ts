export type TunnelState = 'connecting' | 'up' | 'reconnecting' | 'failed' | 'closed';

/** A tunnel's state changed: the tray and window show it; `message` says why it is not up. */
export interface TunnelEvent {
  type: 'tunnel-changed';
  workspace: string;
  region: string;
  state: TunnelState;
  localPort?: number;
  /** The instance the tunnel reaches: after a restore in place, no longer the one it was opened to. */
  instance?: string;
  attempt?: number;
  message?: string;
}

export type TunnelEventListener = (event: TunnelEvent) => void;

export class TunnelEventStream {
  readonly #listeners = new Set<TunnelEventListener>();

  subscribe(listener: TunnelEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: TunnelEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('A tunnel event listener failed:', error);
      }
    }
  }
}
