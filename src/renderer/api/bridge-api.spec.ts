import { describe, expect, it } from 'vitest';
import type { PortholeBridge } from '../../shared/porthole-bridge';
import { bridgeApi } from './bridge-api';
import { ContractCallError, describeFailure } from './contract-call-error';

/** A bridge answering as main does: listWorkspaces works, startWorkspace is refused with the core's words. */
function answeringBridge(calls: Array<[string, unknown]>, listeners: Map<string, (payload: unknown) => void>): PortholeBridge {
  return {
    async call(name, request) {
      calls.push([name, request]);
      if (name === 'startWorkspace') return { ok: false, error: { kind: 'wrong-state', message: 'Workspace "demo" is hibernated.', fix: 'Resume it instead.' } };
      return { ok: true, response: [] };
    },
    on(event, listener) {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
}

describe('bridgeApi', () => {
  it('gives each contract call as a method on the one bridge call', async () => {
    const calls: Array<[string, unknown]> = [];
    const api = bridgeApi(answeringBridge(calls, new Map()));
    expect(await api.listWorkspaces()).toEqual([]);
    await api.stopWorkspace({ name: 'demo' }).catch(() => undefined);
    expect(calls).toEqual([
      ['listWorkspaces', undefined],
      ['stopWorkspace', { name: 'demo' }],
    ]);
  });

  it("turns a refusal into the error the dashboard shows, with the core's message and fix", async () => {
    const api = bridgeApi(answeringBridge([], new Map()));
    const error = await api.startWorkspace({ name: 'demo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractCallError);
    expect(describeFailure(error)).toMatchObject({ message: 'Workspace "demo" is hibernated.', fix: 'Resume it instead.' });
  });

  it('subscribes through the bridge and returns its unsubscribe', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = bridgeApi(answeringBridge([], listeners));
    const heard: unknown[] = [];
    const unsubscribe = api.on('notice', (notice) => heard.push(notice.title));
    listeners.get('notice')!({ level: 'info', title: 'hello', message: '' });
    unsubscribe();
    expect(heard).toEqual(['hello']);
    expect(listeners.has('notice')).toBe(false);
  });
});
