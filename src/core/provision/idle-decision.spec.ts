import { describe, expect, it } from 'vitest';
import { decideIdleAction, parseIdleWarning, type IdleInput } from './idle-decision.js';

const MIN = 60_000;
const T0 = 1_900_000_000_000;
const base: IdleInput = { now: T0, lastHeartbeat: T0, sshSessions: 0, timeoutMinutes: 60, warningLeadMinutes: 5 };

describe('decideIdleAction', () => {
  it('does nothing while heartbeats are fresh', () => {
    expect(decideIdleAction({ ...base, now: T0 + 54 * MIN })).toEqual({ action: 'none' });
  });

  it('warns from the lead time before the stop, with the planned stop time', () => {
    expect(decideIdleAction({ ...base, now: T0 + 55 * MIN })).toEqual({ action: 'warn', stopAt: T0 + 60 * MIN });
    expect(decideIdleAction({ ...base, now: T0 + 59 * MIN, warnedAt: T0 + 55 * MIN })).toEqual({ action: 'warn', stopAt: T0 + 60 * MIN });
  });

  it('stops once the timeout has passed after a warning', () => {
    expect(decideIdleAction({ ...base, now: T0 + 60 * MIN, warnedAt: T0 + 55 * MIN })).toEqual({ action: 'stop' });
  });

  it('never stops unannounced: a late warning still gets a minute', () => {
    expect(decideIdleAction({ ...base, now: T0 + 90 * MIN })).toEqual({ action: 'warn', stopAt: T0 + 91 * MIN });
    expect(decideIdleAction({ ...base, now: T0 + 90 * MIN + 30_000, warnedAt: T0 + 90 * MIN })).toEqual({ action: 'warn', stopAt: T0 + 91 * MIN });
    expect(decideIdleAction({ ...base, now: T0 + 91 * MIN, warnedAt: T0 + 90 * MIN })).toEqual({ action: 'stop' });
  });

  it('does not stop while an SSH session is open, however long the idle', () => {
    expect(decideIdleAction({ ...base, now: T0 + 600 * MIN, sshSessions: 1, warnedAt: T0 + 55 * MIN })).toEqual({ action: 'none' });
  });

  it('never stops with a timeout of 0', () => {
    expect(decideIdleAction({ ...base, now: T0 + 6000 * MIN, timeoutMinutes: 0 })).toEqual({ action: 'none' });
  });

  it('caps the warning lead at the timeout', () => {
    expect(decideIdleAction({ ...base, timeoutMinutes: 3, now: T0 })).toEqual({ action: 'warn', stopAt: T0 + 3 * MIN });
  });
});

describe('parseIdleWarning', () => {
  it('reads the marker the idle agent writes', () => {
    expect(parseIdleWarning('stop-at 1900003600\nwarned-at 1900003300\n')).toEqual({ stopAt: 1_900_003_600_000, warnedAt: 1_900_003_300_000 });
    expect(parseIdleWarning('')).toBeUndefined();
  });
});
