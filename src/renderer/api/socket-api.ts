import {
  CALL_NAMES,
  type CallMessage,
  type CallName,
  type CallRequest,
  type CallResponse,
  type EventMessage,
  type EventName,
  type EventPayload,
  type PortholeApi,
  type ReplyMessage,
} from '../../shared/contract';
import { ContractCallError } from './contract-call-error';

type Listener = (payload: unknown) => void;

/**
 * The kind of error this page's own lost connection gives its calls and
 * streams, apart from `network` (Porthole could not reach a workspace or
 * AWS), so a viewer reopens after the first and does not hammer a box after
 * the second.
 */
export const CONNECTION_LOST = 'connection-lost';

/**
 * The contract over the WebSocket `porthole ui` serves: the same PortholeApi
 * the Electron preload gives. The session cookie authenticates it; when the
 * connection drops it reconnects and the server sends the whole list again.
 * The server stops a page's log streams with its connection, so a drop ends
 * them here too, as a network error their viewers reopen from.
 */
export function connectSocketApi(url: string): PortholeApi {
  const listeners = new Map<EventName, Set<Listener>>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const queue: string[] = [];
  const openStreams = new Set<string>();
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;

  const dispatch = (event: EventName, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  const open = () => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retryMs = 250;
      for (const message of queue.splice(0)) socket.send(message);
    });
    socket.addEventListener('message', (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ReplyMessage | EventMessage;
      if (message.type === 'event') {
        if (message.event === 'logStreamEnded') openStreams.delete((message.payload as EventPayload<'logStreamEnded'>).stream);
        dispatch(message.event, message.payload);
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.response);
      else waiting.reject(new ContractCallError(message.error));
    });
    socket.addEventListener('close', () => {
      const lost = new ContractCallError({
        kind: CONNECTION_LOST,
        message: 'The connection to Porthole was lost before the answer came.',
        fix: 'Check the activity log or the list to see whether it happened; Porthole is reconnecting.',
      });
      for (const [id, waiting] of pending) {
        pending.delete(id);
        waiting.reject(lost);
      }
      // Those calls are answered (refused): none of them goes out after the reconnect.
      queue.length = 0;
      for (const stream of openStreams) {
        dispatch('logStreamEnded', { stream, error: { kind: CONNECTION_LOST, message: 'The connection to Porthole was lost.', fix: 'The logs reopen once it is back.' } } satisfies EventPayload<'logStreamEnded'>);
      }
      openStreams.clear();
      dispatch('notice', { level: 'error', title: 'Disconnected', message: 'The connection to Porthole was lost; reconnecting…' } satisfies EventPayload<'notice'>);
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    });
  };
  open();

  const send = (name: CallName, request: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const text = JSON.stringify({ type: 'call', id, call: name, request: request ?? {} } as CallMessage);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    });

  const call = async (name: CallName, request: unknown): Promise<unknown> => {
    if (name === 'closeLogStream') openStreams.delete((request as CallRequest<'closeLogStream'>).stream);
    const response = await send(name, request);
    if (name === 'openLogStream') openStreams.add((response as CallResponse<'openLogStream'>).stream);
    return response;
  };

  const api = Object.fromEntries(CALL_NAMES.map((name) => [name, (request?: unknown) => call(name, request)])) as Omit<PortholeApi, 'on'>;
  return {
    ...api,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  } as PortholeApi;
}
