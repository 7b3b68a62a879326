import { describe, expect, it } from 'vitest';
import type { Workspace } from '../shared/workspace';
import { actionsFor } from './components/workspace-actions';
import { accruedUsd, idleDeadline, progressLabel } from './format';

const base: Workspace = {
  name: 'demo',
  account: 'sandbox',
  region: 'us-east-1',
  state: 'ready',
  bundleId: 'small_3_0',
  blueprintId: 'ubuntu_24_04',
  accessMode: 'tunnel',
  createdAt: '2026-03-10T00:00:00Z',
  idleTimeoutMinutes: 60,
  cost: { monthlyUsd: 73, hibernatedMonthlyUsd: 3, activeMonthlyUsd: 73 },
  hasPassword: true,
};

describe('dashboard figures', () => {
  it('accrues the monthly rate by the hour since creation, or since the month began', () => {
    // 730 hours in a billing month: $73 a month is $0.10 an hour.
    expect(accruedUsd(base, new Date('2026-03-10T10:00:00Z'))).toBeCloseTo(1, 5);
    expect(accruedUsd({ ...base, createdAt: '2026-01-01T00:00:00Z' }, new Date('2026-03-01T05:00:00Z'))).toBeCloseTo(0.5, 5);
    expect(accruedUsd(base, new Date('2026-03-09T00:00:00Z'))).toBe(0);
  });

  it('says when an idle workspace stops, or that it never does', () => {
    expect(idleDeadline(base)).toBe('60 min after last use');
    expect(idleDeadline({ ...base, state: 'stopped' })).toBe('after 60 min idle');
    expect(idleDeadline({ ...base, idleTimeoutMinutes: 0 })).toBe('never');
  });

  it('labels an operation with its step and place', () => {
    expect(progressLabel({ ...base, operation: { kind: 'create', step: 'attach the static IP', index: 3, total: 6 } })).toBe('create: attach the static IP (3/6)');
    expect(progressLabel(base)).toBeUndefined();
  });

  it('offers in each state only the actions the engine allows from it', () => {
    expect(actionsFor(base)).toEqual(['open', 'openInBrowser', 'stop', 'hibernate', 'reboot', 'bake', 'copyPassword', 'delete']);
    expect(actionsFor({ ...base, state: 'stopped' })).toEqual(['start', 'hibernate', 'copyPassword', 'delete']);
    expect(actionsFor({ ...base, state: 'hibernated', hasPassword: false })).toEqual(['resume', 'delete']);
    expect(actionsFor({ ...base, state: 'creating' })).toEqual(['copyPassword', 'delete']);
    expect(actionsFor({ ...base, state: 'deleting' })).toEqual([]);
  });
});
