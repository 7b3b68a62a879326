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

/**
 * When it stops by itself, in the words the row shows: the clock time and
 * how soon, once its idle agent has warned; its rule otherwise.
 */
export function idleDeadline(workspace: Workspace, now: Date): string {
  if (workspace.idleStopAt) {
    const stopsAt = new Date(workspace.idleStopAt);
    return `stops at ${clockTime(stopsAt)} (${untilStop(stopsAt.getTime() - now.getTime())})`;
  }
  const minutes = workspace.idleTimeoutMinutes;
  if (minutes === undefined) return '—';
  if (minutes === 0) return 'never';
  return `after ${minutes} min idle`;
}

/** Hours and minutes in the viewer's own time zone. */
export function clockTime(at: Date): string {
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

function untilStop(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 0) return 'any moment now';
  if (minutes < 60) return `in ${minutes} min`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The bar's label: an operation's step, or the launch script's step while it provisions. */
export function progressLabel(workspace: Workspace): string | undefined {
  const op = workspace.operation;
  if (op) return `${op.kind}: ${op.step} (${op.index}/${op.total})`;
  const step = workspace.state === 'provisioning' ? workspace.provisioning : undefined;
  if (step) return `provisioning: ${step.step} (${step.index}/${step.total})`;
  return undefined;
}

/** Where the bar stands: the operation's step, else the provisioning step. */
export function progressOf(workspace: Workspace): { index: number; total: number; provisioning: boolean } | undefined {
  if (workspace.operation) return { index: workspace.operation.index, total: workspace.operation.total, provisioning: false };
  if (workspace.state === 'provisioning' && workspace.provisioning) return { index: workspace.provisioning.index, total: workspace.provisioning.total, provisioning: true };
  return undefined;
}
