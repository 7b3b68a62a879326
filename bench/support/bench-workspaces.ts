import type { Workspace, WorkspaceState } from '../../src/shared/workspace.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'];
const STATES: WorkspaceState[] = ['ready', 'stopped', 'hibernated', 'provisioning', 'starting', 'error'];

/**
 * `count` workspaces over 4 regions in every kind of state a view draws
 * differently (running, stopped, hibernated, setting up with a step, an
 * operation under way, failed with a reason), for the view benchmarks.
 */
export function benchWorkspaces(count: number): Workspace[] {
  return Array.from({ length: count }, (_, i) => {
    const state = STATES[i % STATES.length]!;
    return {
      name: `ws-${String(i).padStart(4, '0')}`,
      account: 'sandbox',
      region: REGIONS[i % REGIONS.length]!,
      state,
      bundleId: 'small_3_0',
      blueprintId: 'ubuntu_24_04',
      accessMode: 'tunnel',
      publicIp: `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      createdAt: new Date(Date.now() - i * 3_600_000).toISOString(),
      idleTimeoutMinutes: 60,
      ...(state === 'provisioning' ? { provisioning: { step: 'developer: packages', index: 5, total: 6 } } : {}),
      ...(state === 'starting' ? { operation: { kind: 'start' as const, step: 'wait until running', index: 2, total: 3 } } : {}),
      ...(state === 'error' ? { reason: 'The launch script failed at step 3 (base: packages).' } : {}),
      cost: { monthlyUsd: state === 'hibernated' ? 3.5 : 12, hibernatedMonthlyUsd: 3.5, activeMonthlyUsd: 12 },
      hasPassword: i % 7 !== 0,
    };
  });
}
