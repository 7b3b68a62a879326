import { describe, expect, it } from 'vitest';
import { PortholeError } from '../errors.js';
import { FAST_POLL_MS, STEADY_POLL_MS } from './poll-policy.js';
import { WorkspacePoller, type PollerTimers } from './workspace-poller.js';

/** Timers that record what was scheduled and fire only when told: the schedule is the thing under test. */
function manualTimers() {
  const pending: Array<{ callback: () => void; ms: number; id: number }> = [];
  let next = 0;
  const timers: PollerTimers = {
    setTimeout: (callback, ms) => {
      const id = next++;
      pending.push({ callback, ms, id });
      return id;
    },
    clearTimeout: (handle) => {
      const index = pending.findIndex((p) => p.id === handle);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  return {
    timers,
    pendingDelay: () => pending[0]?.ms,
    async fire() {
      const due = pending.shift();
      due?.callback();
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

describe('WorkspacePoller', () => {
  it('polls fast while a workspace changes and slows down once all is steady', async () => {
    let changing = true;
    let refreshes = 0;
    const clock = manualTimers();
    const poller = new WorkspacePoller({ refresh: async () => void refreshes++, isChanging: () => changing }, { timers: clock.timers });
    poller.start();
    await clock.fire();
    expect(refreshes).toBe(1);
    expect(clock.pendingDelay()).toBe(FAST_POLL_MS);
    changing = false;
    await clock.fire();
    expect(refreshes).toBe(2);
    expect(clock.pendingDelay()).toBe(STEADY_POLL_MS);
    poller.stop();
    expect(clock.pendingDelay()).toBeUndefined();
  });

  it('backs off while offline and returns to the steady pace after a success', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const clock = manualTimers();
    const poller = new WorkspacePoller(
      {
        refresh: async () => {
          if (fail) throw new PortholeError('network', 'Lightsail cannot be reached.');
        },
        isChanging: () => false,
      },
      { timers: clock.timers, onError: (e) => errors.push(e) },
    );
    poller.start();
    await clock.fire();
    const first = clock.pendingDelay()!;
    await clock.fire();
    const second = clock.pendingDelay()!;
    expect(first).toBeGreaterThan(STEADY_POLL_MS);
    expect(second).toBeGreaterThan(first);
    expect(errors).toHaveLength(2);
    fail = false;
    await clock.fire();
    expect(clock.pendingDelay()).toBe(STEADY_POLL_MS);
    poller.stop();
  });

  it('refreshes at once when poked, without a second refresh racing the first', async () => {
    let refreshes = 0;
    let release!: () => void;
    const clock = manualTimers();
    const poller = new WorkspacePoller(
      { refresh: () => new Promise<void>((resolve) => { refreshes++; release = resolve; }), isChanging: () => false },
      { timers: clock.timers },
    );
    poller.start();
    await clock.fire();
    const a = poller.poke();
    const b = poller.poke();
    release();
    await Promise.all([a, b]);
    expect(refreshes).toBe(1);
    poller.stop();
  });

  it('pauses on expired credentials, says so once, and resumes on sign-in', async () => {
    let expired = true;
    let refreshes = 0;
    const health: string[] = [];
    const clock = manualTimers();
    const poller = new WorkspacePoller(
      {
        refresh: async () => {
          refreshes += 1;
          if (expired) throw new PortholeError('credentials', 'The credentials have expired.');
        },
        isChanging: () => false,
      },
      { timers: clock.timers, onCredentials: (h) => health.push(h) },
    );
    poller.start();
    await clock.fire();
    expect(poller.isPausedForCredentials()).toBe(true);
    expect(clock.pendingDelay()).toBeUndefined();
    await poller.poke();
    expect(health).toEqual(['expired']);
    expect(clock.pendingDelay()).toBeUndefined();
    expired = false;
    await poller.resume();
    expect(health).toEqual(['expired', 'ok']);
    expect(refreshes).toBe(3);
    expect(clock.pendingDelay()).toBe(STEADY_POLL_MS);
    poller.stop();
  });
});
