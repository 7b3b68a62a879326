import type { Workspace } from '../../src/shared/workspace.js';

/**
 * A workspace as the UI, tray, notifications and CLI see it, for specs of
 * those views: a ready small Ubuntu workspace named "demo" unless told
 * otherwise. Costs are the stopped and hibernated rates of a $12 bundle.
 */
export function workspaceView(overrides: Partial<Workspace> = {}): Workspace {
  return {
    name: 'demo',
    account: 'sandbox',
    region: 'us-east-1',
    state: 'ready',
    bundleId: 'small_3_0',
    blueprintId: 'ubuntu_24_04',
    accessMode: 'tunnel',
    cost: { monthlyUsd: overrides.state === 'hibernated' ? 5.6 : 12, hibernatedMonthlyUsd: 5.6, activeMonthlyUsd: 12 },
    hasPassword: true,
    ...overrides,
  };
}
