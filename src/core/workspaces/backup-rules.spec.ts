import { describe, expect, it } from 'vitest';
import { backupMonthlyUsd, validateBackupDate, validateBackupTime } from './backup-rules.js';
import { workspaceCost } from './workspace-cost.js';

describe('backup rules', () => {
  it('takes a whole UTC hour and nothing else', () => {
    for (const ok of ['00:00', '03:00', '23:00']) expect(validateBackupTime(ok)).toBeUndefined();
    for (const bad of ['3:00', '03:30', '24:00', 'noon', '']) {
      const problem = validateBackupTime(bad);
      expect(problem?.kind).toBe('usage');
      expect(problem?.message).toContain('HH:00');
    }
  });

  it('takes a real day as YYYY-MM-DD', () => {
    expect(validateBackupDate('2026-12-04')).toBeUndefined();
    for (const bad of ['2026-02-30', '2026-13-01', '04/12/2026', 'yesterday']) expect(validateBackupDate(bad)?.message).toContain(bad);
  });

  it('prices a backup at most as a full copy of the disk, and a workspace with backups on at a week of them until it is hibernated', () => {
    // A 40 GB disk at $0.05 per GB-month.
    expect(backupMonthlyUsd(40)).toBe(2);
    const inputs = { bundleMonthlyUsd: 10, diskSizeGb: 40, keepsStaticIp: false };
    expect(workspaceCost({ ...inputs, state: 'ready', backups: true })).toMatchObject({ monthlyUsd: 24, activeMonthlyUsd: 24, backupsMonthlyUsd: 14 });
    expect(workspaceCost({ ...inputs, state: 'ready' })).toEqual({ monthlyUsd: 10, activeMonthlyUsd: 10, hibernatedMonthlyUsd: 2 });
    expect(workspaceCost({ ...inputs, state: 'hibernated', backups: true }).monthlyUsd).toBe(2);
  });
});
