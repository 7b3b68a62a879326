import type { Account } from './account.js';
import { HOURS_PER_MONTH } from './catalogue.js';
import type { LedgerEntry } from './world.js';

/** Lightsail's rates that are not in the bundle catalogue. */
export const STATIC_IP_USD_PER_HOUR = 0.005;
export const STATIC_IP_FREE_MS = 60 * 60 * 1000;
export const SNAPSHOT_USD_PER_GB_MONTH = 0.05;

const MS_PER_HOUR = 60 * 60 * 1000;

export interface ResourceCharge {
  region: string;
  resourceType: LedgerEntry['resourceType'];
  resourceName: string;
  arn: string;
  usdPerHour: number;
  billedHours: number;
  usd: number;
  /** False once the resource is deleted, or, for a static IP, while attached. */
  accruing: boolean;
}

export interface BillingReport {
  /** Emulated epoch milliseconds the figures are valid for. */
  asOf: number;
  totalUsd: number;
  byRegion: Record<string, number>;
  resources: ResourceCharge[];
}

export function staticIpCharge(region: string, ip: { name: string; arn: string }): Omit<LedgerEntry, 'intervals'> {
  return { region, resourceType: 'StaticIp', resourceName: ip.name, arn: ip.arn, usdPerHour: STATIC_IP_USD_PER_HOUR };
}

export function monthlyToHourly(usdPerMonth: number): number {
  return usdPerMonth / HOURS_PER_MONTH;
}

/** Starts (or resumes) a resource's meter; `freeMs` is a grace period at the start of this span. */
export function startCharging(
  account: Account,
  resource: Omit<LedgerEntry, 'intervals'>,
  from: number,
  freeMs?: number,
): void {
  let entry = account.data.ledger.find((e) => e.arn === resource.arn);
  if (!entry) {
    entry = { ...resource, intervals: [] };
    account.data.ledger.push(entry);
  }
  const open = entry.intervals.find((i) => i.to === undefined);
  if (!open) entry.intervals.push(freeMs ? { from, freeMs } : { from });
  account.changed();
}

export function stopCharging(account: Account, arn: string, at: number): void {
  const entry = account.data.ledger.find((e) => e.arn === arn);
  const open = entry?.intervals.find((i) => i.to === undefined);
  if (open) {
    open.to = Math.max(open.from, at);
    account.changed();
  }
}

export function billingReport(account: Account, now: number): BillingReport {
  const resources = account.data.ledger.map((entry): ResourceCharge => {
    let billedMs = 0;
    for (const span of entry.intervals) {
      const end = span.to ?? now;
      billedMs += Math.max(0, end - span.from - (span.freeMs ?? 0));
    }
    const billedHours = billedMs / MS_PER_HOUR;
    return {
      region: entry.region,
      resourceType: entry.resourceType,
      resourceName: entry.resourceName,
      arn: entry.arn,
      usdPerHour: entry.usdPerHour,
      billedHours,
      usd: roundCents(billedHours * entry.usdPerHour),
      accruing: entry.intervals.some((i) => i.to === undefined),
    };
  });
  const byRegion: Record<string, number> = {};
  let total = 0;
  for (const r of resources) {
    byRegion[r.region] = roundCents((byRegion[r.region] ?? 0) + r.usd);
    total += r.usd;
  }
  return { asOf: now, totalUsd: roundCents(total), byRegion, resources };
}

/** Thousandths of a cent: an hour of a nano instance still moves the total. */
function roundCents(usd: number): number {
  return Math.round(usd * 100_000) / 100_000;
}
