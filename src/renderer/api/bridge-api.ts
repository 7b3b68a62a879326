import { CALL_NAMES, type CallName, type PortholeApi } from '../../shared/contract';
import type { PortholeBridge } from '../../shared/porthole-bridge';
import { ContractCallError } from './contract-call-error';

/** The contract over the Electron preload's bridge: the same PortholeApi the WebSocket gives. */
export function bridgeApi(bridge: PortholeBridge): PortholeApi {
  const call = async (name: CallName, request: unknown): Promise<unknown> => {
    const outcome = await bridge.call(name, request);
    if (!outcome.ok) throw new ContractCallError(outcome.error);
    return outcome.response;
  };
  const api = Object.fromEntries(CALL_NAMES.map((name) => [name, (request?: unknown) => call(name, request)])) as Omit<PortholeApi, 'on'>;
  return { ...api, on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void) } as PortholeApi;
}
