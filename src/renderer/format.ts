import type { Workspace } from '../shared/workspace';

const HOURS_PER_MONTH = 730;

export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/**
 * What the workspace has cost so far this month, estimated at its current
 * monthly rate since it was created or since the month began: Lightsail
 * bills by the hour, the exact figure is in the AWS bill.
 */
export function accruedUsd(workspace: Workspace, now: Date): number {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const created = workspace.createdAt ? Date.parse(workspace.createdAt) : monthStart;
  const since = Math.max(monthStart, Number.isNaN(created) ? monthStart : created);
  const hours = Math.max(0, now.getTime() - since) / 3_600_000;
  return (workspace.cost.monthlyUsd * hours) / HOURS_PER_MONTH;
}

/** When it stops by itself, in the words the row shows. */
export function idleDeadline(workspace: Workspace): string {
  const minutes = workspace.idleTimeoutMinutes;
  if (minutes === undefined) return '—';
  if (minutes === 0) return 'never';
  if (workspace.state !== 'ready' && workspace.state !== 'provisioning') return `after ${minutes} min idle`;
  return `${minutes} min after last use`;
}

export function progressLabel(workspace: Workspace): string | undefined {
  const op = workspace.operation;
  if (!op) return undefined;
  return `${op.kind}: ${op.step} (${op.index}/${op.total})`;
}
