import type { Account, Call } from './account.js';
import { newIpv6, newPrivateIp, newPublicIp } from './addresses.js';
import { addOnsView, dropAutoSnapshots } from './auto-snapshot-schedule.js';
import { STATIC_IP_FREE_MS, monthlyToHourly, startCharging, staticIpCharge, stopCharging } from './billing.js';
import { findBlueprint, findBundle, findRegion } from './catalogue.js';
import {
  type Input,
  epochSeconds,
  optionalBoolean,
  optionalString,
  requiredString,
  stringList,
} from './input.js';
import { LightsailError, invalidInput, notFound, wrongState } from './lightsail-error.js';
import { checkResourceName } from './names.js';
import { finishOperations, operationView, recordOperation } from './operations.js';
import { pageOfNames } from './paging.js';
import { defaultPorts, portView } from './port-rules.js';
import { readTags } from './tags.js';
import { STATE_CODES, type DiskData, type InstanceData, type InstanceStateName, type Tag } from './world.js';

/** What a new instance is made of, whether from a blueprint or a snapshot. */
export interface LaunchSpec {
  names: string[];
  availabilityZone: string;
  blueprintId: string;
  bundleId: string;
  userData?: string;
  keyPairName?: string;
  tags: Tag[];
  operationType: string;
  fromSnapshotName?: string;
  baseDisk?: DiskData;
}

const MAX_USER_DATA_BYTES = 16 * 1024;

export function launchInstances(account: Account, call: Call, spec: LaunchSpec): unknown {
  const region = account.region(call.region);
  const zones = findRegion(call.region)?.zones ?? [];
  if (!zones.includes(spec.availabilityZone)) {
    throw invalidInput(
      `The Availability Zone '${spec.availabilityZone}' is not valid in ${call.region}. Choose one of: ${zones.join(', ')}.`,
    );
  }
  if (!findBlueprint(spec.blueprintId)) throw invalidInput(`The blueprint '${spec.blueprintId}' does not exist. Call GetBlueprints for the valid ids.`);
  const bundle = findBundle(spec.bundleId);
  if (!bundle) throw invalidInput(`The bundle '${spec.bundleId}' does not exist. Call GetBundles for the valid ids.`);
  if (spec.userData !== undefined && Buffer.byteLength(spec.userData) > MAX_USER_DATA_BYTES) {
    throw invalidInput(`userData is ${Buffer.byteLength(spec.userData)} bytes; the launch script may be at most ${MAX_USER_DATA_BYTES} bytes.`);
  }
  if (spec.keyPairName !== undefined && spec.keyPairName !== 'LightsailDefaultKeyPair') {
    throw new LightsailError('NotFoundException', `The KeyPair does not exist: ${spec.keyPairName}`);
  }
  for (const name of spec.names) checkResourceName('instance', name);
  const repeated = spec.names.filter((n, i) => spec.names.indexOf(n) !== i);
  const taken = spec.names.filter((n) => region.instances[n] !== undefined);
  if (taken.length > 0 || repeated.length > 0) {
    throw invalidInput(`Some names are already in use: ${[...new Set([...taken, ...repeated])].join(', ')}`);
  }
  const operations = spec.names.map((name) => {
    const id = account.random.hex(17);
    const op = recordOperation(account, call, {
      resourceName: name,
      resourceType: 'Instance',
      operationType: spec.operationType,
      availabilityZone: spec.availabilityZone,
      finished: false,
    });
    const instance: InstanceData = {
      name,
      arn: `arn:aws:lightsail:${call.region}:${account.data.accountId}:Instance/${account.random.uuid()}`,
      supportCode: `${account.data.accountId}/i-0${id}`,
      createdAt: call.now,
      availabilityZone: spec.availabilityZone,
      blueprintId: spec.blueprintId,
      bundleId: spec.bundleId,
      state: 'pending',
      transition: { to: 'running', at: call.now + account.durations.create, operationIds: [op.id] },
      publicIpAddress: newPublicIp(account, call.region),
      privateIpAddress: newPrivateIp(account),
      ipv6Addresses: [newIpv6(account)],
      ports: defaultPorts(),
      tags: spec.tags,
      keyPairName: spec.keyPairName ?? 'LightsailDefaultKeyPair',
      ...(spec.userData !== undefined ? { userData: spec.userData } : {}),
      ...(spec.fromSnapshotName !== undefined ? { fromSnapshotName: spec.fromSnapshotName } : {}),
      ...(spec.baseDisk !== undefined ? { baseDisk: spec.baseDisk } : {}),
    };
    account.addInstance(call.region, instance);
    scheduleInstance(account, call.region, instance);
    startCharging(
      account,
      { region: call.region, resourceType: 'Instance', resourceName: name, arn: instance.arn, usdPerHour: monthlyToHourly(bundle.price) },
      call.now,
    );
    return operationView(op, call.region);
  });
  return { operations };
}

export function createInstances(account: Account, call: Call, input: Input): unknown {
  const userData = optionalString(input, 'userData');
  const keyPairName = optionalString(input, 'keyPairName');
  return launchInstances(account, call, {
    names: stringList(input, 'instanceNames', true),
    availabilityZone: requiredString(input, 'availabilityZone'),
    blueprintId: requiredString(input, 'blueprintId'),
    bundleId: requiredString(input, 'bundleId'),
    tags: readTags(input),
    operationType: 'CreateInstance',
    ...(userData !== undefined ? { userData } : {}),
    ...(keyPairName !== undefined ? { keyPairName } : {}),
  });
}

/** Moves a change under way forward when its time comes; re-registered for every instance after a restart. */
export function scheduleInstance(account: Account, region: string, instance: InstanceData): void {
  account.schedule(`instance/${region}/${instance.name}`, (now) => {
    const t = instance.transition;
    if (!t || account.region(region).instances[instance.name] !== instance) return true;
    if (t.at > now) return false;
    if (instance.state === 'stopping' && account.faults.isStuckStopping(instance.name)) return false;
    delete instance.transition;
    if (t.to === 'gone') {
      account.removeInstance(region, instance.name);
    } else {
      instance.state = t.to;
      if (t.to === 'stopped' && !instance.staticIpName) delete instance.publicIpAddress;
    }
    finishOperations(account, region, t.operationIds, t.at);
    return true;
  });
}

/** What a snapshot of the instance keeps of its disk. */
export function diskOf(instance: InstanceData): DiskData {
  const launchScripts = [...(instance.baseDisk?.launchScripts ?? []), ...(instance.userData !== undefined ? [instance.userData] : [])];
  const tls = instance.tls ?? instance.baseDisk?.tls;
  const progress = instance.progress ?? instance.baseDisk?.progress;
  return { launchScripts, ...(tls ? { tls } : {}), ...(progress !== undefined ? { progress } : {}) };
}

/** An instance by name as reads see it: the eventual-consistency fault can hide a new one. */
export function findInstance(account: Account, call: Call, name: string): InstanceData {
  const instance = account.region(call.region).instances[name];
  if (!instance || !account.isVisible(call.region, name)) throw notFound('Instance', name);
  return instance;
}

export function instanceView(account: Account, region: string, instance: InstanceData): Record<string, unknown> {
  const bundle = findBundle(instance.bundleId);
  const blueprint = findBlueprint(instance.blueprintId);
  return {
    name: instance.name,
    arn: instance.arn,
    supportCode: instance.supportCode,
    createdAt: epochSeconds(instance.createdAt),
    location: { availabilityZone: instance.availabilityZone, regionName: region },
    resourceType: 'Instance',
    tags: instance.tags,
    blueprintId: instance.blueprintId,
    blueprintName: blueprint?.name ?? instance.blueprintId,
    bundleId: instance.bundleId,
    addOns: addOnsView(instance),
    isStaticIp: instance.staticIpName !== undefined,
    privateIpAddress: instance.privateIpAddress,
    ...(instance.publicIpAddress ? { publicIpAddress: instance.publicIpAddress } : {}),
    ipv6Addresses: instance.ipv6Addresses,
    ipAddressType: 'dualstack',
    hardware: {
      cpuCount: bundle?.cpuCount ?? 0,
      disks: [
        {
          name: `${instance.name}-system-disk`,
          createdAt: epochSeconds(instance.createdAt),
          sizeInGb: bundle?.diskSizeInGb ?? 0,
          isSystemDisk: true,
          iops: Math.max(100, (bundle?.diskSizeInGb ?? 0) * 3),
          path: '/dev/xvda',
          attachedTo: instance.name,
          attachmentState: 'attached',
          isAttached: true,
        },
      ],
      ramSizeInGb: bundle?.ramSizeInGb ?? 0,
    },
    networking: {
      monthlyTransfer: { gbPerMonthAllocated: bundle?.transferPerMonthInGb ?? 0 },
      ports: instance.ports.map(portView),
    },
    state: { code: STATE_CODES[instance.state], name: instance.state },
    username: blueprint?.username ?? 'ec2-user',
    sshKeyName: instance.keyPairName,
    metadataOptions: { state: 'applied', httpTokens: 'optional', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1, httpProtocolIpv6: 'disabled' },
  };
}

export function getInstance(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  return { instance: instanceView(account, call.region, instance) };
}

export function getInstances(account: Account, call: Call, input: Input): unknown {
  const instances = account.region(call.region).instances;
  const visible = account.instanceNames(call.region);
  const page = pageOfNames(visible, optionalString(input, 'pageToken'), account.pageSize);
  return {
    instances: page.names
      .filter((name) => account.isVisible(call.region, name))
      .map((name) => instanceView(account, call.region, instances[name] as InstanceData)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

export function getInstanceState(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  return { state: { code: STATE_CODES[instance.state], name: instance.state } };
}

function requireState(instance: InstanceData, allowed: InstanceStateName[], action: string): void {
  if (instance.transition?.to === 'gone' || !allowed.includes(instance.state)) {
    const now = instance.transition?.to === 'gone' ? 'being deleted' : `in the ${instance.state} state`;
    throw wrongState(
      `The instance '${instance.name}' is ${now}; ${action} needs it ${allowed.join(' or ')}. Wait for the change in progress to finish, then try again.`,
    );
  }
}

function changeInstance(
  account: Account,
  call: Call,
  instance: InstanceData,
  operationType: string,
  state: InstanceStateName,
  then: { to: InstanceStateName | 'gone'; after: number },
): unknown {
  const op = recordOperation(account, call, {
    resourceName: instance.name,
    resourceType: 'Instance',
    operationType,
    availabilityZone: instance.availabilityZone,
    finished: false,
  });
  instance.state = state;
  instance.transition = { to: then.to, at: call.now + then.after, operationIds: [op.id] };
  scheduleInstance(account, call.region, instance);
  account.changed();
  return { operations: [operationView(op, call.region)] };
}

export function startInstance(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  requireState(instance, ['stopped'], 'StartInstance');
  // A stopped instance gave its public address back; it comes up with a new one unless a static IP holds it.
  if (!instance.staticIpName) instance.publicIpAddress = newPublicIp(account, call.region);
  return changeInstance(account, call, instance, 'StartInstance', 'pending', { to: 'running', after: account.durations.start });
}

export function stopInstance(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  const force = optionalBoolean(input, 'force') ?? false;
  // A forced stop may interrupt one already stopping, as the service allows for a hung shutdown.
  requireState(instance, force ? ['running', 'stopping', 'pending'] : ['running'], 'StopInstance');
  return changeInstance(account, call, instance, 'StopInstance', 'stopping', {
    to: 'stopped',
    after: force ? Math.min(account.durations.stop, 5_000) : account.durations.stop,
  });
}

export function rebootInstance(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  requireState(instance, ['running'], 'RebootInstance');
  return changeInstance(account, call, instance, 'RebootInstance', 'running', { to: 'running', after: account.durations.reboot });
}

export function deleteInstance(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  if (instance.transition?.to === 'gone') {
    throw wrongState(`The instance '${instance.name}' is already being deleted (shutting-down state).`);
  }
  stopCharging(account, instance.arn, call.now);
  dropAutoSnapshots(account, instance, call.now);
  detachStaticIpOnDelete(account, call, instance);
  return changeInstance(account, call, instance, 'DeleteInstance', 'shutting-down', { to: 'gone', after: account.durations.delete });
}

/** A deleted instance lets go of its static IP, which from then on is billed as unattached. */
function detachStaticIpOnDelete(account: Account, call: Call, instance: InstanceData): void {
  if (!instance.staticIpName) return;
  const ip = account.region(call.region).staticIps[instance.staticIpName];
  if (ip) {
    delete ip.attachedTo;
    startCharging(account, staticIpCharge(call.region, ip), call.now, STATIC_IP_FREE_MS);
  }
  delete instance.staticIpName;
}
