import type { Account } from './account.js';
import { SNAPSHOT_USD_PER_GB_MONTH, monthlyToHourly, startCharging, stopCharging } from './billing.js';
import { findBundle } from './catalogue.js';
import { epochSeconds } from './input.js';
import type { AutoSnapshotData, DiskData, InstanceData } from './world.js';

/**
 * The automatic snapshot add-on's daily rhythm, as the service documents it:
 * one snapshot a day at the chosen UTC hour (`HH:00`), the seven most recent
 * kept, each billed as snapshot storage. Pure time arithmetic plus the
 * bookkeeping on the instance's own record, so `instances.ts` can show the
 * add-on without importing the operations that change it.
 */

export const AUTO_SNAPSHOTS_KEPT = 7;
/** What the service picks when the request names no time. */
export const DEFAULT_SNAPSHOT_TIME_OF_DAY = '06:00';
/** A time closer than this to now takes effect the next day. */
const LEAD_MS = 30 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export function isTimeOfDay(value: string): boolean {
  return /^([01][0-9]|2[0-3]):00$/.test(value);
}

/** The UTC date of an emulated instant, `YYYY-MM-DD`. */
export function utcDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The first instant at `timeOfDay` that is at least `lead` after `after`. */
export function nextRunAt(timeOfDay: string, after: number, lead = LEAD_MS): number {
  const hour = Number(timeOfDay.slice(0, 2));
  const dayStart = Math.floor(after / DAY_MS) * DAY_MS;
  let at = dayStart + hour * HOUR_MS;
  while (at < after + lead) at += DAY_MS;
  return at;
}

export function autoSnapshotStatus(snapshot: AutoSnapshotData, now: number, takesMs: number): 'Success' | 'InProgress' {
  return now >= snapshot.createdAt + takesMs ? 'Success' : 'InProgress';
}

/** The instance's `addOns` as GetInstance shows them. */
export function addOnsView(instance: InstanceData): Array<Record<string, unknown>> {
  const addOn = instance.autoSnapshot;
  if (!addOn?.enabled) return [];
  return [
    {
      name: 'AutoSnapshot',
      status: 'Enabled',
      snapshotTimeOfDay: addOn.timeOfDay,
      nextSnapshotTimeOfDay: addOn.timeOfDay,
    },
  ];
}

export function autoSnapshotView(snapshot: AutoSnapshotData, now: number, takesMs: number): Record<string, unknown> {
  return {
    date: snapshot.date,
    createdAt: epochSeconds(snapshot.createdAt),
    status: autoSnapshotStatus(snapshot, now, takesMs),
    fromAttachedDisks: [],
  };
}

function takeAutoSnapshot(account: Account, region: string, instance: InstanceData, at: number, disk: DiskData): void {
  const addOn = instance.autoSnapshot!;
  const date = utcDate(at);
  if (addOn.snapshots.some((s) => s.date === date)) return;
  const sizeInGb = findBundle(instance.bundleId)?.diskSizeInGb ?? 0;
  const snapshot: AutoSnapshotData = {
    date,
    createdAt: at,
    arn: `arn:aws:lightsail:${region}:${account.data.accountId}:InstanceSnapshot/${account.random.uuid()}`,
    sizeInGb,
    fromBlueprintId: instance.blueprintId,
    fromBundleId: instance.bundleId,
    disk,
  };
  addOn.snapshots.push(snapshot);
  startCharging(
    account,
    { region, resourceType: 'InstanceSnapshot', resourceName: `${instance.name}/${date}`, arn: snapshot.arn, usdPerHour: monthlyToHourly(sizeInGb * SNAPSHOT_USD_PER_GB_MONTH) },
    at,
  );
  while (addOn.snapshots.length > AUTO_SNAPSHOTS_KEPT) {
    const oldest = addOn.snapshots.shift()!;
    stopCharging(account, oldest.arn, at);
  }
}

/**
 * Takes every daily snapshot that fell due up to `now` (an emulated week
 * passing under `--time-scale` yields the week's snapshots); re-registered
 * for every instance with the add-on after a restart.
 */
export function scheduleAutoSnapshots(account: Account, region: string, instance: InstanceData, diskOf: (i: InstanceData) => DiskData): void {
  account.schedule(`auto-snapshot/${region}/${instance.name}`, (now) => {
    const addOn = instance.autoSnapshot;
    if (!addOn?.enabled || account.region(region).instances[instance.name] !== instance) return true;
    while (addOn.nextAt <= now) {
      if (instance.state === 'running' || instance.state === 'stopped') takeAutoSnapshot(account, region, instance, addOn.nextAt, diskOf(instance));
      addOn.nextAt = nextRunAt(addOn.timeOfDay, addOn.nextAt, 1);
      account.changed();
    }
    return false;
  });
}

/** A deleted instance takes its automatic snapshots with it, and their storage stops accruing. */
export function dropAutoSnapshots(account: Account, instance: InstanceData, at: number): void {
  for (const snapshot of instance.autoSnapshot?.snapshots ?? []) stopCharging(account, snapshot.arn, at);
  delete instance.autoSnapshot;
}
