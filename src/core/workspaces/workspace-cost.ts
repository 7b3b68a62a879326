import type { WorkspaceCost, WorkspaceState } from '../../shared/workspace.js';

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
}

/**
 * What a workspace costs per month now, and in each of its resting states.
 * Lightsail bills a stopped instance like a running one, so only
 * hibernation (snapshot, then delete the instance) stops the bill.
 */
export function workspaceCost({ state, bundleMonthlyUsd, diskSizeGb, keepsStaticIp }: CostInputs): WorkspaceCost {
  const hibernatedMonthlyUsd = round(
    diskSizeGb * SNAPSHOT_USD_PER_GB_MONTH + (keepsStaticIp ? UNATTACHED_STATIC_IP_USD_PER_MONTH : 0),
  );
  const activeMonthlyUsd = bundleMonthlyUsd;
  const monthlyUsd = state === 'hibernated' ? hibernatedMonthlyUsd : activeMonthlyUsd;
  return { monthlyUsd, hibernatedMonthlyUsd, activeMonthlyUsd };
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
