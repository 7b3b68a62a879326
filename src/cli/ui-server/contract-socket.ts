import type { WebSocket } from 'ws';
import { answerCall, parseCall } from '../../core/app/contract-dispatch.js';
import type { DashboardService } from '../../core/app/dashboard-service.js';
import type { EventMessage, ReplyMessage } from '../../shared/contract.js';

/** A call is a few hundred bytes, but copyText carries what the user copies from a log (MAX_COPY_CHARS, escaped in JSON); anything larger is not from the dashboard. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Carries the contract over one WebSocket: calls in, replies and events out,
 * the same messages Electron IPC carries. A message that is not one of the
 * contract's calls closes the socket (1008, policy violation) unanswered.
 */
export function serveContract(socket: WebSocket, service: DashboardService): void {
  const send = (message: ReplyMessage | EventMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const connection = service.connect((event, payload) => send({ type: 'event', event, payload } as EventMessage));
  // An open page is someone watching: ports show within seconds while it is there.
  const stopWatching = service.watchWorkspaces();
  socket.on('close', () => {
    void connection.close();
    stopWatching();
  });
  void service.handlers.listWorkspaces().then((workspaces) => send({ type: 'event', event: 'workspacesReset', payload: { account: service.account, workspaces } }));

  socket.on('message', (data, isBinary) => {
    const parsed = isBinary ? undefined : parseCall(parseJson(data.toString()));
    if (!parsed) {
      socket.close(1008, 'not a contract call');
      return;
    }
    void answerCall(connection.handlers, parsed).then(send);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
