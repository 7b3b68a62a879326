import { PortholeError } from '../src/core/errors.js';
import { WorkspacePoller, type PollerTimers } from '../src/core/workspaces/workspace-poller.js';
import { report } from './support/stats.js';

/**
 * What an expired sign-in costs while nobody signs in: cloud calls made by an
 * account's poller over one emulated working day. Baseline: the same poller
 * when the failure is one that heals by itself (it backs off and retries).
 * With credentials it pauses instead, so the calls stay at one.
 */
const DAY_MS = 8 * 3600_000;

async function callsOverDay(failure: PortholeError, changing: boolean): Promise<number> {
  let now = 0;
  const pending: Array<{ at: number; callback: () => void; id: number }> = [];
  let next = 0;
  const timers: PollerTimers = {
    setTimeout: (callback, ms) => {
      pending.push({ at: now + ms, callback, id: next++ });
      return next - 1;
    },
    clearTimeout: (handle) => {
      const index = pending.findIndex((p) => p.id === handle);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  let calls = 0;
  const poller = new WorkspacePoller(
    {
      refresh: async () => {
        calls += 1;
        throw failure;
      },
      isChanging: () => changing,
    },
    { timers },
  );
  poller.start();
  for (;;) {
    pending.sort((a, b) => a.at - b.at);
    const due = pending.shift();
    if (!due || due.at > DAY_MS) break;
    now = due.at;
    due.callback();
    await new Promise((resolve) => setImmediate(resolve));
  }
  poller.stop();
  return calls;
}

for (const changing of [false, true]) {
  const baseline = await callsOverDay(new PortholeError('service', 'Lightsail failed on its side.'), changing);
  const paused = await callsOverDay(new PortholeError('credentials', 'The credentials have expired.'), changing);
  report(`Expired sign-in over an 8-hour day (${changing ? 'a workspace changing' : 'all steady'})`, {
    'calls, backing off (baseline)': baseline,
    'calls, paused for credentials': paused,
    'ratio (paused / baseline)': (paused / baseline).toFixed(3),
  });
}
