import { describe, expect, it } from 'vitest';
import type { Workspace } from '../shared/workspace';
import { actionsFor } from './components/workspace-actions';
import { accruedUsd, idleDeadline, progressLabel, progressOf } from './format';
import { workspaceView } from '../../test/support/workspace-view';

const base: Workspace = workspaceView({
  createdAt: '2026-03-10T00:00:00Z',
  idleTimeoutMinutes: 60,
  cost: { monthlyUsd: 73, hibernatedMonthlyUsd: 3, activeMonthlyUsd: 73 },
});

describe('dashboard figures', () => {
  it('accrues the monthly rate by the hour since creation, or since the month began', () => {
    // 730 hours in a billing month: $73 a month is $0.10 an hour.
    expect(accruedUsd(base, new Date('2026-03-10T10:00:00Z'))).toBeCloseTo(1, 5);
    expect(accruedUsd({ ...base, createdAt: '2026-01-01T00:00:00Z' }, new Date('2026-03-01T05:00:00Z'))).toBeCloseTo(0.5, 5);
    expect(accruedUsd(base, new Date('2026-03-09T00:00:00Z'))).toBe(0);
  });

  it('says when an idle workspace stops, or that it never does', () => {
    const now = new Date(2026, 2, 10, 14, 28, 10);
    expect(idleDeadline(base, now)).toBe('after 60 min idle');
    expect(idleDeadline({ ...base, state: 'stopped' }, now)).toBe('after 60 min idle');
    expect(idleDeadline({ ...base, idleTimeoutMinutes: 0 }, now)).toBe('never');
  });

  it('shows the idle warning as the clock time it stops at and how soon', () => {
    const stopsAt = new Date(2026, 2, 10, 14, 32, 0);
    const warned = { ...base, idleStopAt: stopsAt.toISOString() };
    expect(idleDeadline(warned, new Date(2026, 2, 10, 14, 28, 10))).toBe('stops at 14:32 (in 4 min)');
    expect(idleDeadline(warned, new Date(2026, 2, 10, 14, 32, 30))).toBe('stops at 14:32 (any moment now)');
    expect(idleDeadline({ ...warned, idleStopAt: new Date(2026, 2, 10, 9, 5).toISOString() }, new Date(2026, 2, 10, 7, 55))).toBe('stops at 09:05 (in 1 h 10 min)');
  });

  it('labels an operation with its step and place', () => {
    expect(progressLabel({ ...base, operation: { kind: 'create', step: 'attach the static IP', index: 3, total: 6 } })).toBe('create: attach the static IP (3/6)');
    expect(progressLabel(base)).toBeUndefined();
  });

  it('shows the launch script step while provisioning, and no bar once ready', () => {
    const provisioning: Workspace = { ...base, state: 'provisioning', provisioning: { index: 2, total: 7, step: 'developer: packages' } };
    expect(progressLabel(provisioning)).toBe('provisioning: developer: packages (2/7)');
    expect(progressOf(provisioning)).toEqual({ index: 2, total: 7, provisioning: true });
    expect(progressOf({ ...provisioning, state: 'ready' })).toBeUndefined();
    expect(progressLabel({ ...provisioning, state: 'ready' })).toBeUndefined();
  });

  it('offers in each state only the actions the engine allows from it', () => {
    expect(actionsFor(base)).toEqual(['open', 'openInBrowser', 'openInVsCode', 'stop', 'hibernate', 'reboot', 'bake', 'backups', 'logs', 'exportDiagnostics', 'copyPassword', 'delete']);
    expect(actionsFor({ ...base, state: 'stopped' })).toEqual(['start', 'hibernate', 'backups', 'exportDiagnostics', 'copyPassword', 'delete']);
    // A hibernated workspace's Backups… says why it has none and whether resuming turns them on again.
    expect(actionsFor({ ...base, state: 'hibernated', hasPassword: false })).toEqual(['resume', 'backups', 'exportDiagnostics', 'delete']);
    expect(actionsFor({ ...base, state: 'creating' })).toEqual(['exportDiagnostics', 'copyPassword', 'delete']);
    // A failed launch's box still answers SSH, so its logs can be read; one that never got an address cannot.
    expect(actionsFor({ ...base, state: 'error', publicIp: '203.0.113.7' })).toContain('logs');
    expect(actionsFor({ ...base, state: 'error', publicIp: undefined })).not.toContain('logs');
    expect(actionsFor({ ...base, state: 'deleting' })).toEqual([]);
  });
});
