import { describe, expect, it } from 'vitest';
import { workspaceCost } from './workspace-cost.js';

describe('workspaceCost', () => {
  const small = { bundleMonthlyUsd: 12, diskSizeGb: 60, keepsStaticIp: true };

  it('bills a stopped workspace like a running one', () => {
    expect(workspaceCost({ ...small, state: 'stopped' }).monthlyUsd).toBe(12);
    expect(workspaceCost({ ...small, state: 'ready' }).monthlyUsd).toBe(12);
  });

  it('bills a hibernated workspace for its snapshot and kept static IP only', () => {
    // 60 GB × $0.05 + $0.005/h × 730 h
    expect(workspaceCost({ ...small, state: 'hibernated' }).monthlyUsd).toBe(6.65);
    expect(workspaceCost({ ...small, keepsStaticIp: false, state: 'hibernated' }).monthlyUsd).toBe(3);
  });

  it('states what each resting state costs whatever the current one', () => {
    const cost = workspaceCost({ ...small, state: 'ready' });
    expect(cost.activeMonthlyUsd).toBe(12);
    expect(cost.hibernatedMonthlyUsd).toBe(6.65);
  });
});
