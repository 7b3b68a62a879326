import type { WorkspaceCost, WorkspaceState } from '../../shared/workspace.js';

/** Lightsail keeps an instance's seven newest automatic snapshots and deletes the older ones itself. */
export const BACKUPS_KEPT = 7;

/** Lightsail's published prices for what a workspace leaves behind when hibernated. */
export const SNAPSHOT_USD_PER_GB_MONTH = 0.05;
export const UNATTACHED_STATIC_IP_USD_PER_HOUR = 0.005;
export const HOURS_PER_MONTH = 730;
export const UNATTACHED_STATIC_IP_USD_PER_MONTH = UNATTACHED_STATIC_IP_USD_PER_HOUR * HOURS_PER_MONTH;

export interface CostInputs {
  state: WorkspaceState;
  bundleMonthlyUsd: number;
  /** The bundle's disk, which is what a snapshot of it is billed by. */
  diskSizeGb: number;
  /** Whether hibernation keeps the static IP (the default) or releases it. */
  keepsStaticIp: boolean;
  /** Whether daily backups are on: a week of snapshots while the instance exists, none once it is hibernated. */
  backups?: boolean;
}

/**
 * What a workspace costs per month now, and in each of its resting states.
 * Lightsail bills a stopped instance like a running one, so only
 * hibernation (snapshot, then delete the instance) stops the bill.
 */
export function workspaceCost({ state, bundleMonthlyUsd, diskSizeGb, keepsStaticIp, backups = false }: CostInputs): WorkspaceCost {
  const hibernatedMonthlyUsd = round(
    diskSizeGb * SNAPSHOT_USD_PER_GB_MONTH + (keepsStaticIp ? UNATTACHED_STATIC_IP_USD_PER_MONTH : 0),
  );
  // Backups belong to the instance: hibernating deletes them, so they cost nothing while hibernated.
  const backupsMonthlyUsd = backups ? round(BACKUPS_KEPT * diskSizeGb * SNAPSHOT_USD_PER_GB_MONTH) : 0;
  const activeMonthlyUsd = round(bundleMonthlyUsd + backupsMonthlyUsd);
  const monthlyUsd = state === 'hibernated' ? hibernatedMonthlyUsd : activeMonthlyUsd;
  return { monthlyUsd, hibernatedMonthlyUsd, activeMonthlyUsd, ...(backups ? { backupsMonthlyUsd } : {}) };
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
