import type { WebSocket } from 'ws';
import { contractErrorOf } from '../../core/app/contract-error.js';
import type { DashboardService } from '../../core/app/dashboard-service.js';
import { CALL_NAMES, type CallName, type EventMessage, type ReplyMessage } from '../../shared/contract.js';

const KNOWN_CALLS: ReadonlySet<string> = new Set(CALL_NAMES);
/** A call is a few hundred bytes; anything far larger is not from the dashboard. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Carries the contract over one WebSocket: calls in, replies and events out,
 * the same messages Electron IPC carries. Only the contract's call names are
 * forwarded; anything else is answered with an error, not executed.
 */
export function serveContract(socket: WebSocket, service: DashboardService): void {
  const send = (message: ReplyMessage | EventMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const unsubscribe = service.events.subscribe((event, payload) => send({ type: 'event', event, payload } as EventMessage));
  socket.on('close', unsubscribe);
  void service.handlers.listWorkspaces().then((workspaces) => send({ type: 'event', event: 'workspacesReset', payload: { account: service.account, workspaces } }));

  socket.on('message', (data, isBinary) => {
    const parsed = parseCall(isBinary ? undefined : data.toString());
    if (!parsed) {
      socket.close(1008, 'not a contract call');
      return;
    }
    const { id, call, request } = parsed;
    const handler = service.handlers[call] as (request: unknown) => Promise<unknown>;
    handler(request).then(
      (response) => send({ type: 'reply', id, ok: true, response: response ?? null }),
      (error: unknown) => send({ type: 'reply', id, ok: false, error: contractErrorOf(error) }),
    );
  });
}

function parseCall(text: string | undefined): { id: number; call: CallName; request: unknown } | undefined {
  if (text === undefined) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, id, call, request } = message as Record<string, unknown>;
  if (type !== 'call' || typeof id !== 'number' || typeof call !== 'string' || !KNOWN_CALLS.has(call)) return undefined;
  return { id, call: call as CallName, request: request ?? {} };
}
