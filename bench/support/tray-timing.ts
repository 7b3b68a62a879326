import { NotificationPolicy } from '../../src/core/notify/notification-policy.js';
import { buildTrayMenu, type TrayAccount } from '../../src/core/tray/tray-menu.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import { trayTemplate } from '../../src/main/tray-template.js';
import { benchWorkspaces } from './bench-workspaces.js';
import { median, percentile } from './stats.js';

const ACCOUNTS: TrayAccount[] = [
  { name: 'sandbox', kind: 'sandbox', active: true, health: 'ok' },
  { name: 'work', kind: 'aws-profile', active: false, health: 'expired', signInKind: 'sso' },
];

/** Time of `fn` in ms, `runs` times after a warm-up, so the JIT has settled. */
function timed(fn: () => void, runs: number, warmUp = 100): number[] {
  for (let i = 0; i < warmUp; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export interface TrayFigures {
  /** Model and Electron template for `count` workspaces: median and p95 in ms. */
  build: Record<number, { median: number; p95: number }>;
  /** Notification decisions per second over a stream of 10,000 mixed events (1,000 workspaces, 10 each). */
  policyEventsPerSecond: number;
  /** The same over 100 events (10 workspaces): the baseline, so a policy slowing as its history grows shows. */
  policyBaselineEventsPerSecond: number;
}

/** The tray menu rebuilt (model + menu template) for each size, and the notification policy's throughput. */
export function measureTray(sizes: readonly number[], runs = 200): TrayFigures {
  const build: TrayFigures['build'] = {};
  for (const size of sizes) {
    const workspaces = benchWorkspaces(size);
    const samples = timed(() => trayTemplate(buildTrayMenu({ workspaces, accounts: ACCOUNTS }).items, () => {}), runs);
    build[size] = { median: median(samples), p95: percentile(samples, 95) };
  }
  return { build, policyEventsPerSecond: policyThroughput(1_000), policyBaselineEventsPerSecond: policyThroughput(10) };
}

/** Events a second the notification policy decides, fed ten events per workspace and a review of the list. */
function policyThroughput(workspaceCount: number): number {
  const workspaces = benchWorkspaces(workspaceCount);
  const events: WorkspaceEvent[] = workspaces.flatMap((workspace, i): WorkspaceEvent[] => [
    { type: 'workspace-changed', previous: { ...workspace, state: 'starting' }, workspace: { ...workspace, state: 'ready' }, cause: i % 2 === 0 ? 'user' : 'cloud' },
    { type: 'idle-warning', name: workspace.name, region: workspace.region, stopsAt: new Date(Date.now() + 300_000).toISOString() },
    { type: 'workspace-changed', previous: { ...workspace, state: 'ready' }, workspace: { ...workspace, state: 'stopped' }, cause: 'cloud' },
    { type: 'operation-progress', workspace: workspace.name, region: workspace.region, account: workspace.account, progress: { kind: 'start', step: 'wait', index: 1, total: 3 } },
    { type: 'account', account: 'work', health: i % 2 === 0 ? 'expired' : 'ok' },
    { type: 'refreshed', account: 'sandbox', count: 1_000 },
    { type: 'workspace-changed', previous: { ...workspace, state: 'stopped' }, workspace: { ...workspace, state: 'error', reason: 'quota' }, cause: 'cloud' },
    { type: 'workspace-changed', previous: { ...workspace, state: 'hibernating' }, workspace: { ...workspace, state: 'hibernated' }, cause: 'user' },
    { type: 'workspace-changed', previous: { ...workspace, state: 'ready' }, workspace, cause: 'cloud' },
    { type: 'refreshed', account: 'sandbox', count: 1_000 },
  ]);
  const choices = { idleWarning: true, idleStop: true, operationFinished: true, operationFailed: true, costReminder: true, portReady: true, firewallFollowed: true, awsSignInExpired: true };
  const passes = timed(
    () => {
      const policy = new NotificationPolicy({ choices: () => choices, isWatching: (ref) => ref.name.endsWith('0'), now: Date.now });
      for (const event of events) policy.onEvent(event);
      policy.review(workspaces);
    },
    // About the same number of events in each size's runs, so both are equally warm.
    Math.max(15, Math.round(15_000 / events.length)),
    Math.max(5, Math.round(10_000 / events.length)),
  );
  return events.length / (median(passes) / 1000);
}
