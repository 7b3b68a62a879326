import type { Account, Call } from './account.js';
import { SNAPSHOT_USD_PER_GB_MONTH, monthlyToHourly, startCharging, stopCharging } from './billing.js';
import { restorableAutoSnapshot } from './auto-snapshots.js';
import { findBundle } from './catalogue.js';
import { type Input, epochSeconds, optionalString, requiredString, stringList } from './input.js';
import { invalidInput, notFound, wrongState } from './lightsail-error.js';
import { diskOf, findInstance, launchInstances } from './instances.js';
import { checkResourceName } from './names.js';
import { finishOperations, operationView, recordOperation } from './operations.js';
import { pageOfNames } from './paging.js';
import { readTags } from './tags.js';
import type { SnapshotData } from './world.js';

/** Snapshots are regional; the service gives their zone as `all`. */
const REGIONAL = 'all';

function findSnapshot(account: Account, call: Call, name: string): SnapshotData {
  const snapshot = account.region(call.region).snapshots[name];
  if (!snapshot) throw notFound('InstanceSnapshot', name);
  return snapshot;
}

function snapshotView(account: Account, snapshot: SnapshotData, region: string, now: number): Record<string, unknown> {
  const total = account.durations.snapshot;
  const done = snapshot.state === 'pending' && snapshot.transition ? Math.min(99, Math.floor(((now - snapshot.createdAt) / Math.max(1, total)) * 100)) : 100;
  return {
    name: snapshot.name,
    arn: snapshot.arn,
    supportCode: snapshot.supportCode,
    createdAt: epochSeconds(snapshot.createdAt),
    location: { availabilityZone: REGIONAL, regionName: region },
    resourceType: 'InstanceSnapshot',
    tags: snapshot.tags,
    state: snapshot.state,
    progress: `${done}%`,
    fromAttachedDisks: [],
    fromInstanceName: snapshot.fromInstanceName,
    fromInstanceArn: snapshot.fromInstanceArn,
    fromBlueprintId: snapshot.fromBlueprintId,
    fromBundleId: snapshot.fromBundleId,
    isFromAutoSnapshot: false,
    sizeInGb: snapshot.sizeInGb,
  };
}

/** Finishes a snapshot when its time comes; re-registered for every pending snapshot after a restart. */
export function scheduleSnapshot(account: Account, region: string, snapshot: SnapshotData): void {
  account.schedule(`snapshot/${region}/${snapshot.name}`, (now) => {
    const t = snapshot.transition;
    if (!t || account.region(region).snapshots[snapshot.name] !== snapshot) return true;
    if (t.at > now) return false;
    delete snapshot.transition;
    if (t.to === 'gone') delete account.region(region).snapshots[snapshot.name];
    else snapshot.state = t.to;
    finishOperations(account, region, t.operationIds, t.at);
    return true;
  });
}

export function createInstanceSnapshot(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  const name = requiredString(input, 'instanceSnapshotName');
  checkResourceName('instance snapshot', name);
  const tags = readTags(input);
  const region = account.region(call.region);
  if (region.snapshots[name]) throw invalidInput(`Some names are already in use: ${name}`);
  if ((instance.state !== 'running' && instance.state !== 'stopped') || instance.transition?.to === 'gone') {
    throw wrongState(
      `The instance '${instance.name}' is in the ${instance.state} state; CreateInstanceSnapshot needs it running or stopped.`,
    );
  }
  const sizeInGb = findBundle(instance.bundleId)?.diskSizeInGb ?? 0;
  const snapshotOp = recordOperation(account, call, {
    resourceName: name,
    resourceType: 'InstanceSnapshot',
    operationType: 'CreateInstanceSnapshot',
    availabilityZone: REGIONAL,
    operationDetails: instance.name,
    finished: false,
  });
  const instanceOp = recordOperation(account, call, {
    resourceName: instance.name,
    resourceType: 'Instance',
    operationType: 'CreateInstanceSnapshot',
    availabilityZone: instance.availabilityZone,
    operationDetails: name,
    finished: false,
  });
  const snapshot: SnapshotData = {
    name,
    arn: `arn:aws:lightsail:${call.region}:${account.data.accountId}:InstanceSnapshot/${account.random.uuid()}`,
    supportCode: `${account.data.accountId}/ami-0${account.random.hex(16)}`,
    createdAt: call.now,
    state: 'pending',
    transition: { to: 'available', at: call.now + account.durations.snapshot, operationIds: [snapshotOp.id, instanceOp.id] },
    sizeInGb,
    fromInstanceName: instance.name,
    fromInstanceArn: instance.arn,
    fromBlueprintId: instance.blueprintId,
    fromBundleId: instance.bundleId,
    tags,
    disk: diskOf(instance),
  };
  region.snapshots[name] = snapshot;
  scheduleSnapshot(account, call.region, snapshot);
  startCharging(
    account,
    {
      region: call.region,
      resourceType: 'InstanceSnapshot',
      resourceName: name,
      arn: snapshot.arn,
      usdPerHour: monthlyToHourly(sizeInGb * SNAPSHOT_USD_PER_GB_MONTH),
    },
    call.now,
  );
  return { operations: [operationView(snapshotOp, call.region), operationView(instanceOp, call.region)] };
}

export function getInstanceSnapshot(account: Account, call: Call, input: Input): unknown {
  const snapshot = findSnapshot(account, call, requiredString(input, 'instanceSnapshotName'));
  return { instanceSnapshot: snapshotView(account, snapshot, call.region, call.now) };
}

export function getInstanceSnapshots(account: Account, call: Call, input: Input): unknown {
  const snapshots = account.region(call.region).snapshots;
  const page = pageOfNames(Object.keys(snapshots).sort(), optionalString(input, 'pageToken'), account.pageSize);
  return {
    instanceSnapshots: page.names.map((name) => snapshotView(account, snapshots[name] as SnapshotData, call.region, call.now)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

export function deleteInstanceSnapshot(account: Account, call: Call, input: Input): unknown {
  const snapshot = findSnapshot(account, call, requiredString(input, 'instanceSnapshotName'));
  if (snapshot.state === 'pending') {
    throw wrongState(`The instance snapshot '${snapshot.name}' is in the pending state; wait until it is available before deleting it.`);
  }
  delete account.region(call.region).snapshots[snapshot.name];
  stopCharging(account, snapshot.arn, call.now);
  const op = recordOperation(account, call, {
    resourceName: snapshot.name,
    resourceType: 'InstanceSnapshot',
    operationType: 'DeleteInstanceSnapshot',
    availabilityZone: REGIONAL,
    finished: true,
  });
  return { operations: [operationView(op, call.region)] };
}

export function createInstancesFromSnapshot(account: Account, call: Call, input: Input): unknown {
  const source = launchSource(account, call, input);
  const bundleId = requiredString(input, 'bundleId');
  const bundle = findBundle(bundleId);
  if (bundle && bundle.diskSizeInGb < source.sizeInGb) {
    throw invalidInput(
      `The bundle '${bundleId}' has a ${bundle.diskSizeInGb} GB disk, smaller than the ${source.sizeInGb} GB snapshot '${source.name}'. Choose a bundle at least as large as '${source.fromBundleId}'.`,
    );
  }
  const userData = optionalString(input, 'userData');
  const keyPairName = optionalString(input, 'keyPairName');
  return launchInstances(account, call, {
    names: stringList(input, 'instanceNames', true),
    availabilityZone: requiredString(input, 'availabilityZone'),
    blueprintId: source.fromBlueprintId,
    bundleId,
    tags: readTags(input),
    operationType: 'CreateInstancesFromSnapshot',
    fromSnapshotName: source.name,
    ...(source.disk ? { baseDisk: source.disk } : {}),
    ...(userData !== undefined ? { userData } : {}),
    ...(keyPairName !== undefined ? { keyPairName } : {}),
  });
}

/** A manual snapshot by name, or an automatic one of a source instance: the two are mutually exclusive. */
function launchSource(
  account: Account,
  call: Call,
  input: Input,
): { name: string; sizeInGb: number; fromBundleId: string; fromBlueprintId: string; disk?: SnapshotData['disk'] } {
  const snapshotName = optionalString(input, 'instanceSnapshotName');
  const sourceInstanceName = optionalString(input, 'sourceInstanceName');
  if ((snapshotName === undefined) === (sourceInstanceName === undefined)) {
    throw invalidInput('Name exactly one of instanceSnapshotName and sourceInstanceName: they are mutually exclusive.');
  }
  if (sourceInstanceName !== undefined) {
    const { instance, snapshot } = restorableAutoSnapshot(account, call, input);
    return { ...snapshot, name: `${instance.name}/${snapshot.date}` };
  }
  const snapshot = findSnapshot(account, call, snapshotName!);
  if (snapshot.state !== 'available') {
    throw wrongState(`The instance snapshot '${snapshot.name}' is in the ${snapshot.state} state; instances can be created from it once it is available.`);
  }
  return snapshot;
}
