import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from '../shared/contract.js';
import { callChannel, EVENT_CHANNEL, type BridgeOutcome, type PortholeBridge } from '../shared/porthole-bridge.js';

const CALLS: ReadonlySet<string> = new Set(CALL_NAMES);
const EVENTS: ReadonlySet<string> = new Set(EVENT_NAMES);

type Listener = (payload: unknown) => void;
const listeners = new Map<EventName, Set<Listener>>();

// One IPC listener for every event; the page never sees ipcRenderer nor the IPC event object.
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !EVENTS.has(name)) return;
  for (const listener of listeners.get(name as EventName) ?? []) listener(payload);
});

const bridge: PortholeBridge = {
  call(name: CallName, request: unknown): Promise<BridgeOutcome> {
    if (typeof name !== 'string' || !CALLS.has(name)) {
      return Promise.resolve({ ok: false, error: { kind: 'usage', message: `"${String(name)}" is not a Porthole call.`, fix: 'Use one of the calls in src/shared/contract.ts.' } });
    }
    return ipcRenderer.invoke(callChannel(name), request ?? {}) as Promise<BridgeOutcome>;
  },
  on(event: EventName, listener: Listener): () => void {
    if (typeof event !== 'string' || !EVENTS.has(event) || typeof listener !== 'function') {
      throw new TypeError(`"${String(event)}" is not a Porthole event.`);
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('porthole', bridge);
