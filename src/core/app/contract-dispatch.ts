import { CALL_NAMES, type CallName, type PortholeHandlers, type ReplyMessage } from '../../shared/contract.js';
import { contractErrorOf } from './contract-error.js';

const KNOWN_CALLS: ReadonlySet<string> = new Set(CALL_NAMES);

export interface ParsedCall {
  id: number;
  call: CallName;
  request: unknown;
}

/**
 * A call message as it arrives from any UI (Electron IPC, the WebSocket),
 * or undefined when it is not one of the contract's calls. Only the
 * contract's names pass, so nothing else on the service can be reached.
 */
export function parseCall(message: unknown): ParsedCall | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, id, call, request } = message as Record<string, unknown>;
  if (type !== 'call' || typeof id !== 'number' || !Number.isSafeInteger(id) || typeof call !== 'string' || !KNOWN_CALLS.has(call)) return undefined;
  return { id, call: call as CallName, request: request ?? {} };
}

/** Runs one call on the handlers and answers it: the result, or the error as the UI shows it. */
export async function answerCall(handlers: PortholeHandlers, { id, call, request }: ParsedCall): Promise<ReplyMessage> {
  const handler = handlers[call] as (request: unknown) => Promise<unknown>;
  try {
    return { type: 'reply', id, ok: true, response: (await handler(request)) ?? null };
  } catch (error) {
    return { type: 'reply', id, ok: false, error: contractErrorOf(error) };
  }
}
