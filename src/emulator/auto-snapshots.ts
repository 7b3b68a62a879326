import type { Account, Call } from './account.js';
import {
  DEFAULT_SNAPSHOT_TIME_OF_DAY,
  autoSnapshotStatus,
  autoSnapshotView,
  isTimeOfDay,
  nextRunAt,
  scheduleAutoSnapshots,
} from './auto-snapshot-schedule.js';
import { stopCharging } from './billing.js';
import { type Input, optionalString, requiredObject, requiredString } from './input.js';
import { diskOf, findInstance } from './instances.js';
import { LightsailError, invalidInput } from './lightsail-error.js';
import { operationView, recordInstanceChange } from './operations.js';
import type { AutoSnapshotData, InstanceData } from './world.js';

/** The add-on types the service knows; only automatic snapshots apply to an ordinary instance. */
const ADD_ON_TYPES = ['AutoSnapshot', 'StopInstanceOnIdle'];

function addOnType(value: string): 'AutoSnapshot' {
  if (!ADD_ON_TYPES.includes(value)) throw invalidInput(`addOnType must be one of ${ADD_ON_TYPES.join(', ')}, not '${value}'.`);
  if (value !== 'AutoSnapshot') throw invalidInput(`The ${value} add-on applies only to Lightsail for Research resources.`);
  return value;
}

function addOnOperation(account: Account, call: Call, instance: InstanceData, operationType: string, details: string): unknown {
  return { operations: [operationView(recordInstanceChange(account, call, instance, operationType, details), call.region)] };
}

export function enableAddOn(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'resourceName'));
  const request = requiredObject(input, 'addOnRequest');
  addOnType(requiredString(request, 'addOnType'));
  const options = request.autoSnapshotAddOnRequest as Input | undefined;
  const requested = options ? optionalString(options, 'snapshotTimeOfDay') : undefined;
  if (requested !== undefined && !isTimeOfDay(requested)) {
    throw invalidInput(`snapshotTimeOfDay must be a whole UTC hour in HH:00 format, such as 06:00; '${requested}' is not.`);
  }
  const current = instance.autoSnapshot;
  const timeOfDay = requested ?? current?.timeOfDay ?? DEFAULT_SNAPSHOT_TIME_OF_DAY;
  // A day's snapshot already taken keeps a changed time for tomorrow, so no day gets two.
  const takenToday = current?.snapshots.some((s) => s.date === new Date(call.now).toISOString().slice(0, 10)) ?? false;
  const from = takenToday ? nextRunAt('00:00', call.now, 1) : call.now;
  const nextAt = current?.enabled && current.timeOfDay === timeOfDay ? current.nextAt : nextRunAt(timeOfDay, from, takenToday ? 0 : undefined);
  instance.autoSnapshot = { enabled: true, timeOfDay, nextAt, snapshots: current?.snapshots ?? [] };
  scheduleAutoSnapshots(account, call.region, instance, diskOf);
  account.changed();
  return addOnOperation(account, call, instance, 'EnableAddOn', `AutoSnapshot ${timeOfDay}`);
}

export function disableAddOn(account: Account, call: Call, input: Input): unknown {
  addOnType(requiredString(input, 'addOnType'));
  const instance = findInstance(account, call, requiredString(input, 'resourceName'));
  // The snapshots already taken stay until they are deleted or the instance is.
  if (instance.autoSnapshot) instance.autoSnapshot.enabled = false;
  account.changed();
  return addOnOperation(account, call, instance, 'DisableAddOn', 'AutoSnapshot');
}

export function getAutoSnapshots(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'resourceName'));
  const snapshots = [...(instance.autoSnapshot?.snapshots ?? [])].reverse();
  return {
    resourceName: instance.name,
    resourceType: 'Instance',
    autoSnapshots: snapshots.map((s) => autoSnapshotView(s, call.now, account.durations.snapshot)),
  };
}

function checkDate(date: string): string {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) throw invalidInput(`date must be in YYYY-MM-DD format; '${date}' is not.`);
  return date;
}

function findAutoSnapshot(instance: InstanceData, date: string): AutoSnapshotData {
  const snapshot = instance.autoSnapshot?.snapshots.find((s) => s.date === checkDate(date));
  if (!snapshot) throw new LightsailError('NotFoundException', `The automatic snapshot of ${instance.name} for ${date} does not exist. Call GetAutoSnapshots for the dates there are.`);
  return snapshot;
}

export function deleteAutoSnapshot(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'resourceName'));
  const snapshot = findAutoSnapshot(instance, requiredString(input, 'date'));
  if (autoSnapshotStatus(snapshot, call.now, account.durations.snapshot) !== 'Success') {
    throw new LightsailError('OperationFailureException', `The automatic snapshot of ${instance.name} for ${snapshot.date} is still being created; delete it once it has finished.`);
  }
  instance.autoSnapshot!.snapshots = instance.autoSnapshot!.snapshots.filter((s) => s !== snapshot);
  stopCharging(account, snapshot.arn, call.now);
  return addOnOperation(account, call, instance, 'DeleteAutoSnapshot', snapshot.date);
}

/**
 * The automatic snapshot a CreateInstancesFromSnapshot call restores: the one
 * of `restoreDate`, or the newest finished one.
 */
export function restorableAutoSnapshot(account: Account, call: Call, input: Input): { instance: InstanceData; snapshot: AutoSnapshotData } {
  const instance = findInstance(account, call, requiredString(input, 'sourceInstanceName'));
  const restoreDate = optionalString(input, 'restoreDate');
  const useLatest = input.useLatestRestorableAutoSnapshot === true;
  if ((restoreDate === undefined) === !useLatest) {
    throw invalidInput('Name exactly one of restoreDate and useLatestRestorableAutoSnapshot with sourceInstanceName.');
  }
  const finished = (instance.autoSnapshot?.snapshots ?? []).filter((s) => autoSnapshotStatus(s, call.now, account.durations.snapshot) === 'Success');
  const snapshot = restoreDate !== undefined ? findAutoSnapshot(instance, restoreDate) : finished.at(-1);
  if (!snapshot || !finished.includes(snapshot)) {
    throw invalidInput(`The instance ${instance.name} has no finished automatic snapshot${restoreDate ? ` for ${restoreDate}` : ''} to restore.`);
  }
  return { instance, snapshot };
}
