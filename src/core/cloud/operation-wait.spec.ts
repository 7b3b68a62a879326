import { describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import type { Clock } from './clock.js';
import type { Operation } from './model.js';
import { type WaitTiming, pollOperations } from './operation-wait.js';

/** A clock that only moves when slept on: the waits run instantly and deterministically. */
function manualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const timing: WaitTiming = { timeoutMs: 60_000, pollIntervalMs: 1_000, visibilityGraceMs: 5_000 };

const op = (id: string, status: Operation['status'], extra: Partial<Operation> = {}): Operation => ({
  id,
  region: 'us-east-1',
  resourceName: 'dev',
  operationType: 'CreateInstance',
  status,
  isTerminal: status === 'Succeeded' || status === 'Failed' || status === 'Completed',
  createdAt: undefined,
  errorCode: undefined,
  errorDetails: undefined,
  ...extra,
});

describe('pollOperations', () => {
  it('polls until every operation is terminal and reports each change', async () => {
    const clock = manualClock();
    const script: Record<string, Operation['status'][]> = { a: ['Started', 'Succeeded'], b: ['Succeeded'] };
    const progress: string[] = [];
    const done = await pollOperations(
      [op('a', 'NotStarted'), op('b', 'Started')],
      async (id) => op(id, script[id]!.shift() ?? 'Succeeded'),
      clock,
      timing,
      (o) => progress.push(`${o.id}:${o.status}`),
    );
    expect(done.map((o) => o.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(progress).toEqual(['a:Started', 'b:Succeeded', 'a:Succeeded']);
    expect(clock.slept).toEqual([1_000, 1_000]);
  });

  it('returns at once when nothing is pending', async () => {
    const clock = manualClock();
    await pollOperations([op('a', 'Succeeded')], async () => undefined, clock, timing);
    expect(clock.slept).toEqual([]);
  });

  it('fails with Lightsail’s reason when an operation fails', async () => {
    const failed = op('a', 'Failed', { errorCode: 'InsufficientCapacity', errorDetails: 'No capacity in us-east-1a' });
    const error = await pollOperations([op('a', 'Started')], async () => failed, manualClock(), timing).catch((e) => e);
    expect(isPortholeError(error, 'service')).toBe(true);
    expect(error.message).toMatch(/CreateInstance on "dev" in us-east-1: InsufficientCapacity: No capacity/);
  });

  it('tolerates an operation id that is not visible yet, within the grace', async () => {
    let reads = 0;
    const done = await pollOperations(
      [op('a', 'Started')],
      async () => (++reads < 3 ? undefined : op('a', 'Succeeded')),
      manualClock(),
      timing,
    );
    expect(done[0]!.status).toBe('Succeeded');
  });

  it('gives up on an id that stays unknown past the grace', async () => {
    const error = await pollOperations([op('a', 'Started')], async () => undefined, manualClock(), timing).catch((e) => e);
    expect(isPortholeError(error, 'service')).toBe(true);
    expect(error.message).toMatch(/lost track/);
  });

  it('times out with what was still running', async () => {
    const clock = manualClock();
    const error = await pollOperations([op('a', 'Started')], async () => op('a', 'Started'), clock, timing).catch((e) => e);
    expect(isPortholeError(error, 'timeout')).toBe(true);
    expect(error.message).toMatch(/did not finish CreateInstance on "dev" within 60 s/);
    expect(clock.now()).toBe(60_000);
  });
});
