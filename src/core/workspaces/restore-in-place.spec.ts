import { describe, expect, it } from 'vitest';
import type { JournalEntry } from './operation-journal.js';
import { SWITCH_STEP, canRollBack, restorePlanOf, restoredInstanceName } from './restore-in-place.js';

const entry = (kind: JournalEntry['kind'], done: string[]): JournalEntry => ({
  id: 'op',
  kind,
  workspace: { account: 'sandbox', region: 'us-east-1', name: 'dev' },
  steps: done.map((name) => ({ name, startedAt: '2026-12-04T08:00:00Z', doneAt: '2026-12-04T08:01:00Z' })),
  data: {},
  startedAt: '2026-12-04T08:00:00Z',
  updatedAt: '2026-12-04T08:01:00Z',
});

describe('restore in place', () => {
  it('names the new instance after the workspace and the day, with a short random part so a second restore of the day differs', () => {
    const first = restoredInstanceName('dev', '2026-12-03');
    expect(first).toMatch(/^dev-r20261203-[0-9a-f]{4}$/);
    const names = new Set(Array.from({ length: 20 }, () => restoredInstanceName('dev', '2026-12-03')));
    expect(names.size).toBeGreaterThan(1);
  });

  it('rolls back only until the workspace has switched to its new instance; a create always', () => {
    expect(canRollBack(entry('restore', ['create the new instance from the backup']))).toBe(true);
    expect(canRollBack(entry('restore', ['create the new instance from the backup', SWITCH_STEP]))).toBe(false);
    expect(canRollBack(entry('create', ['create the instance']))).toBe(true);
    expect(canRollBack(entry('hibernate', []))).toBe(false);
  });

  it('refuses a journal entry that lost its day or instance names', () => {
    expect(restorePlanOf({ date: '2026-12-03', oldInstance: 'dev', newInstance: 'dev-r20261203-ab12' })).toEqual({ date: '2026-12-03', oldInstance: 'dev', newInstance: 'dev-r20261203-ab12' });
    expect(() => restorePlanOf({ date: '2026-12-03', oldInstance: 'dev' })).toThrow(/without its backup day or instance names/);
  });
});
