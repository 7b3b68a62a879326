import type { Account, Call } from './account.js';
import { newPublicIp } from './addresses.js';
import { STATIC_IP_FREE_MS, startCharging, staticIpCharge, stopCharging } from './billing.js';
import { type Input, epochSeconds, optionalString, requiredString } from './input.js';
import { invalidInput, notFound, wrongState } from './lightsail-error.js';
import { findInstance } from './instances.js';
import { checkResourceName } from './names.js';
import { operationView, recordOperation } from './operations.js';
import { pageOfNames } from './paging.js';
import type { InstanceData, StaticIpData } from './world.js';

/** Static IPs are regional, not zonal: the service reports their zone as `all`. */
const REGIONAL = 'all';

function findStaticIp(account: Account, call: Call, name: string): StaticIpData {
  const ip = account.region(call.region).staticIps[name];
  if (!ip) throw notFound('StaticIp', name);
  return ip;
}

function staticIpView(ip: StaticIpData, region: string): Record<string, unknown> {
  return {
    name: ip.name,
    arn: ip.arn,
    supportCode: ip.supportCode,
    createdAt: epochSeconds(ip.createdAt),
    location: { availabilityZone: REGIONAL, regionName: region },
    resourceType: 'StaticIp',
    ipAddress: ip.ipAddress,
    ...(ip.attachedTo ? { attachedTo: ip.attachedTo } : {}),
    isAttached: ip.attachedTo !== undefined,
  };
}

function staticIpOperation(account: Account, call: Call, ip: StaticIpData, operationType: string, details = ''): Record<string, unknown> {
  const op = recordOperation(account, call, {
    resourceName: ip.name,
    resourceType: 'StaticIp',
    operationType,
    availabilityZone: REGIONAL,
    operationDetails: details,
    finished: true,
  });
  return operationView(op, call.region);
}

export function allocateStaticIp(account: Account, call: Call, input: Input): unknown {
  const name = requiredString(input, 'staticIpName');
  checkResourceName('static IP', name);
  const region = account.region(call.region);
  if (region.staticIps[name]) throw invalidInput(`Some names are already in use: ${name}`);
  const ipAddress = newPublicIp(account, call.region);
  const ip: StaticIpData = {
    name,
    arn: `arn:aws:lightsail:${call.region}:${account.data.accountId}:StaticIp/${account.random.uuid()}`,
    supportCode: `${account.data.accountId}/${ipAddress}`,
    createdAt: call.now,
    ipAddress,
  };
  region.staticIps[name] = ip;
  // Unattached from birth: the first hour is free, then it is billed until attached.
  startCharging(account, staticIpCharge(call.region, ip), call.now, STATIC_IP_FREE_MS);
  return { operations: [staticIpOperation(account, call, ip, 'AllocateStaticIp')] };
}

export function attachStaticIp(account: Account, call: Call, input: Input): unknown {
  const ip = findStaticIp(account, call, requiredString(input, 'staticIpName'));
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  if (ip.attachedTo === instance.name) {
    throw wrongState(`The static IP '${ip.name}' is already attached to the instance '${instance.name}'.`);
  }
  if (ip.attachedTo) {
    throw wrongState(`The static IP '${ip.name}' is already attached to the instance '${ip.attachedTo}'. Detach it first.`);
  }
  if (instance.staticIpName) {
    throw wrongState(`The instance '${instance.name}' already has the static IP '${instance.staticIpName}' attached. Detach it first.`);
  }
  if (instance.state === 'shutting-down' || instance.state === 'terminated' || instance.transition?.to === 'gone') {
    throw wrongState(`The instance '${instance.name}' is in the ${instance.state} state; a static IP cannot be attached to it.`);
  }
  ip.attachedTo = instance.name;
  instance.staticIpName = ip.name;
  instance.publicIpAddress = ip.ipAddress;
  stopCharging(account, ip.arn, call.now);
  const instanceOp = recordOperation(account, call, {
    resourceName: instance.name,
    resourceType: 'Instance',
    operationType: 'AttachStaticIp',
    availabilityZone: instance.availabilityZone,
    operationDetails: ip.name,
    finished: true,
  });
  return { operations: [staticIpOperation(account, call, ip, 'AttachStaticIp', instance.name), operationView(instanceOp, call.region)] };
}

/** Lets go of the instance; a running one falls back to a fresh dynamic address. */
function detach(account: Account, call: Call, ip: StaticIpData): InstanceData | undefined {
  const instance = ip.attachedTo ? account.region(call.region).instances[ip.attachedTo] : undefined;
  delete ip.attachedTo;
  if (instance) {
    delete instance.staticIpName;
    if (instance.state === 'running' || instance.state === 'pending') instance.publicIpAddress = newPublicIp(account, call.region);
    else delete instance.publicIpAddress;
  }
  return instance;
}

export function detachStaticIp(account: Account, call: Call, input: Input): unknown {
  const ip = findStaticIp(account, call, requiredString(input, 'staticIpName'));
  if (!ip.attachedTo) throw wrongState(`The static IP '${ip.name}' is not attached to any instance.`);
  const instance = detach(account, call, ip);
  startCharging(account, staticIpCharge(call.region, ip), call.now, STATIC_IP_FREE_MS);
  const operations = [staticIpOperation(account, call, ip, 'DetachStaticIp', instance?.name ?? '')];
  if (instance) {
    const op = recordOperation(account, call, {
      resourceName: instance.name,
      resourceType: 'Instance',
      operationType: 'DetachStaticIp',
      availabilityZone: instance.availabilityZone,
      operationDetails: ip.name,
      finished: true,
    });
    operations.push(operationView(op, call.region));
  }
  return { operations };
}

export function releaseStaticIp(account: Account, call: Call, input: Input): unknown {
  const ip = findStaticIp(account, call, requiredString(input, 'staticIpName'));
  detach(account, call, ip);
  stopCharging(account, ip.arn, call.now);
  delete account.region(call.region).staticIps[ip.name];
  return { operations: [staticIpOperation(account, call, ip, 'ReleaseStaticIp')] };
}

export function getStaticIp(account: Account, call: Call, input: Input): unknown {
  return { staticIp: staticIpView(findStaticIp(account, call, requiredString(input, 'staticIpName')), call.region) };
}

export function getStaticIps(account: Account, call: Call, input: Input): unknown {
  const ips = account.region(call.region).staticIps;
  const page = pageOfNames(Object.keys(ips).sort(), optionalString(input, 'pageToken'), account.pageSize);
  return {
    staticIps: page.names.map((name) => staticIpView(ips[name] as StaticIpData, call.region)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
