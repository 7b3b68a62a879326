import type { CallName, ContractError, EventName } from './contract.js';

/** How a call came back across the bridge: errors travel as data, so their kind, message and fix survive. */
export type BridgeOutcome = { ok: true; response: unknown } | { ok: false; error: ContractError };

/**
 * What the Electron preload puts on `window.porthole`: the contract and
 * nothing else. One entry point for calls and one for events, each checked
 * against the contract's lists of names before anything reaches main.
 */
export interface PortholeBridge {
  call(name: CallName, request: unknown): Promise<BridgeOutcome>;
  /** Returns the function that unsubscribes. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** The IPC channel of a call: one per name of CALL_NAMES, so main answers only those. */
export const callChannel = (name: CallName): string => `porthole:call:${name}`;

/** The one channel every event travels on, dispatched by name on the page's side. */
export const EVENT_CHANNEL = 'porthole:event';
