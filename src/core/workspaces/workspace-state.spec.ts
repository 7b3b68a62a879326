import { describe, expect, it } from 'vitest';
import type { InstanceStateName } from '../cloud/model.js';
import { deriveWorkspaceState } from './workspace-state.js';

const none = { snapshots: [] };

describe('deriveWorkspaceState', () => {
  it.each<[InstanceStateName, string]>([
    ['pending', 'starting'],
    ['running', 'ready'],
    ['stopping', 'stopping'],
    ['stopped', 'stopped'],
    ['shutting-down', 'deleting'],
    ['terminated', 'deleting'],
  ])('an instance %s with no operation reads %s', (instance, expected) => {
    expect(deriveWorkspaceState({ instance: { state: instance }, snapshots: [] }).state).toBe(expected);
  });

  it('shows the operation the user asked for over the instance state it passes through', () => {
    const observed = { instance: { state: 'stopped' as const }, snapshots: [] };
    expect(deriveWorkspaceState(observed, { kind: 'hibernate' }).state).toBe('hibernating');
    expect(deriveWorkspaceState(observed, { kind: 'delete' }).state).toBe('deleting');
    expect(deriveWorkspaceState(none, { kind: 'resume' }).state).toBe('resuming');
    expect(deriveWorkspaceState(none, { kind: 'create' }).state).toBe('creating');
  });

  it('reports a failed operation as error with its reason', () => {
    const derived = deriveWorkspaceState(none, { kind: 'resume', failure: 'The snapshot is gone.' });
    expect(derived).toEqual({ state: 'error', reason: 'The snapshot is gone.' });
  });

  it('is provisioning while the launch script runs, ready after, error when it failed', () => {
    const running = { instance: { state: 'running' as const }, snapshots: [] };
    expect(deriveWorkspaceState(running, undefined, { done: false }).state).toBe('provisioning');
    expect(deriveWorkspaceState(running, undefined, { done: true }).state).toBe('ready');
    expect(deriveWorkspaceState(running, undefined, { done: true, failure: 'apt failed' })).toEqual({
      state: 'error',
      reason: 'apt failed',
    });
  });

  it('is hibernated when only an available snapshot remains', () => {
    expect(deriveWorkspaceState({ snapshots: [{ state: 'available' }] }).state).toBe('hibernated');
    expect(deriveWorkspaceState({ snapshots: [{ state: 'pending' }] }).state).toBe('hibernating');
  });

  it('explains an instance that vanished with nothing to resume from', () => {
    const derived = deriveWorkspaceState(none);
    expect(derived.state).toBe('error');
    expect(derived.reason).toMatch(/no hibernation snapshot/);
  });
});
