import { describe, expect, it } from 'vitest';
import { CALL_NAMES, type PortholeHandlers } from '../../shared/contract.js';
import { PortholeError } from '../errors.js';
import { answerCall, parseCall } from './contract-dispatch.js';

describe('contract dispatch', () => {
  it('lets through only the contract calls, well formed', () => {
    expect(parseCall({ type: 'call', id: 1, call: 'getSettings' })).toEqual({ id: 1, call: 'getSettings', request: {} });
    expect(parseCall({ type: 'call', id: 2, call: 'validateName', request: { name: 'x' } })).toEqual({ id: 2, call: 'validateName', request: { name: 'x' } });
    for (const bad of [
      null,
      'getSettings',
      { type: 'call', id: 1, call: 'constructor' },
      { type: 'call', id: 1, call: '__proto__' },
      { type: 'call', id: 1, call: 'toString' },
      { type: 'call', id: '1', call: 'getSettings' },
      { type: 'call', id: 1.5, call: 'getSettings' },
      { type: 'event', id: 1, call: 'getSettings' },
    ]) {
      expect(parseCall(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('answers with the result, or with the error split into message and fix', async () => {
    const handlers = Object.fromEntries(CALL_NAMES.map((name) => [name, async () => ({ from: name })])) as unknown as PortholeHandlers;
    handlers.stopWorkspace = async () => {
      throw new PortholeError('wrong-state', 'Workspace "a" is stopped; it cannot stop from there.', { fix: 'It is already stopped.' });
    };
    expect(await answerCall(handlers, { id: 7, call: 'getSettings', request: {} })).toEqual({ type: 'reply', id: 7, ok: true, response: { from: 'getSettings' } });
    expect(await answerCall(handlers, { id: 8, call: 'stopWorkspace', request: { name: 'a' } })).toEqual({
      type: 'reply',
      id: 8,
      ok: false,
      error: { kind: 'wrong-state', message: 'Workspace "a" is stopped; it cannot stop from there.', fix: 'It is already stopped.' },
    });
  });
});
