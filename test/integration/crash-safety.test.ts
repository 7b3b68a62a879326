import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { expectConverged, leaksOf, runCrashingChild, type CrashOperation } from '../support/crash-suite.js';
import type { WorkspaceState } from '../../src/shared/workspace.js';

/**
 * Kills the engine's process at every step of each multi-step operation —
 * right after the step is journaled as started, and right after its cloud
 * call returned but before that is journaled — then starts a new engine over
 * the same files, keychain and cloud, and checks that everything converged
 * with nothing leaked.
 */
const SCENARIOS: Array<{ operation: CrashOperation; before: WorkspaceState | 'nothing'; after: WorkspaceState | 'gone' }> = [
  { operation: 'create', before: 'nothing', after: 'ready' },
  { operation: 'delete', before: 'ready', after: 'gone' },
  { operation: 'hibernate', before: 'ready', after: 'hibernated' },
  { operation: 'resume', before: 'hibernated', after: 'ready' },
];

describe.each(SCENARIOS)('a crash at any step of $operation', ({ operation, before, after }) => {
  let f: EngineFixture;
  beforeAll(async () => {
    f = await startEngineFixture();
  });
  afterAll(() => f.close());

  // Each case starts a fresh engine process per crash point: minutes, not seconds, on a busy machine.
  it(`converges to ${after} with nothing leaked, for every step and both sides of its cloud call`, { timeout: 420_000 }, async () => {
    const crashed: string[] = [];
    for (let step = 0; step < 20; step++) {
      let finishedWithoutCrash = false;
      for (const phase of ['before', 'after'] as const) {
        const name = `${operation.slice(0, 3)}-${step}-${phase}`;
        if (before !== 'nothing') {
          await f.engine.create({ name });
          if (before === 'hibernated') await f.engine.hibernate(name);
        }
        const run = await runCrashingChild(f, operation, name, `${operation}:${step}:${phase}`);
        if (run.code === 0) {
          finishedWithoutCrash = true;
          await expectConverged(f, name, after);
          continue;
        }
        expect(run.signal, `${name}: ${run.stderr}`).toBe('SIGKILL');
        crashed.push(`${step}:${phase}`);
        // Before anything recovers it, porthole doctor's listing names the interrupted operation, and only it.
        const leaks = await leaksOf(f);
        expect(leaks.map((l) => [l.kind, l.name, l.operation?.kind]), name).toEqual([['operation', name, operation]]);
        const restarted = await f.restart();
        const recovery = await restarted.recover();
        expect(recovery.failed, name).toEqual([]);
        expect(recovery.recovered, name).toContain(name);
        await expectConverged(f, name, after);
      }
      if (finishedWithoutCrash) break;
    }
    // Every step was crashed on both sides before the operation ran through.
    expect(crashed.length).toBeGreaterThanOrEqual(6);
    expect(crashed.length % 2).toBe(0);
  });
});
