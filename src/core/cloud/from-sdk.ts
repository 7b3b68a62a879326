import type * as Sdk from '@aws-sdk/client-lightsail';
import type {
  AccessDetails,
  AutoSnapshot,
  Blueprint,
  Bundle,
  Instance,
  KeyPair,
  MetricPoint,
  Operation,
  PortRule,
  PortStatus,
  Protocol,
  Region,
  Snapshot,
  StaticIp,
  Tags,
} from './model.js';

/*
 * The SDK marks every member optional; Lightsail always sends the ones read
 * with `?? ''` here, so a default only ever shows up on a malformed answer.
 */

export function tagsFromSdk(tags: Sdk.Tag[] | undefined): Tags {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.key) out[tag.key] = tag.value ?? '';
  return out;
}

export function tagsToSdk(tags: Tags): Sdk.Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

export function portRuleToSdk(rule: PortRule): Sdk.PortInfo {
  return { fromPort: rule.fromPort, toPort: rule.toPort, protocol: rule.protocol, cidrs: rule.cidrs };
}

function portRuleFromSdk(p: Sdk.InstancePortInfo | Sdk.InstancePortState): PortRule {
  return {
    fromPort: p.fromPort ?? 0,
    toPort: p.toPort ?? 0,
    protocol: (p.protocol ?? 'tcp') as Protocol,
    cidrs: p.cidrs ?? [],
  };
}

export function portStatusFromSdk(p: Sdk.InstancePortState): PortStatus {
  return { ...portRuleFromSdk(p), state: p.state === 'open' ? 'open' : 'closed' };
}

export function instanceFromSdk(i: Sdk.Instance, region: string): Instance {
  const ports = i.networking?.ports;
  return {
    name: i.name ?? '',
    region: i.location?.regionName ?? region,
    availabilityZone: i.location?.availabilityZone ?? '',
    state: i.state?.name ?? 'pending',
    bundleId: i.bundleId ?? '',
    blueprintId: i.blueprintId ?? '',
    publicIp: i.publicIpAddress || undefined,
    privateIp: i.privateIpAddress || undefined,
    isStaticIp: i.isStaticIp ?? false,
    createdAt: i.createdAt,
    tags: tagsFromSdk(i.tags),
    arn: i.arn ?? '',
    ...(ports ? { ports: ports.map(portRuleFromSdk) } : {}),
    ...autoSnapshotAddOn(i.addOns),
  };
}

function autoSnapshotAddOn(addOns: Sdk.AddOn[] | undefined): { autoSnapshotTimeOfDay?: string } {
  const addOn = addOns?.find((a) => a.name === 'AutoSnapshot' && a.status === 'Enabled');
  return addOn ? { autoSnapshotTimeOfDay: addOn.snapshotTimeOfDay ?? '' } : {};
}

export function autoSnapshotFromSdk(s: Sdk.AutoSnapshotDetails): AutoSnapshot {
  return { date: s.date ?? '', createdAt: s.createdAt, status: s.status ?? 'NotFound' };
}

export function staticIpFromSdk(s: Sdk.StaticIp, region: string): StaticIp {
  return {
    name: s.name ?? '',
    region: s.location?.regionName ?? region,
    ipAddress: s.ipAddress ?? '',
    attachedTo: s.attachedTo || undefined,
    isAttached: s.isAttached ?? Boolean(s.attachedTo),
    createdAt: s.createdAt,
    arn: s.arn ?? '',
  };
}

export function snapshotFromSdk(s: Sdk.InstanceSnapshot, region: string): Snapshot {
  return {
    name: s.name ?? '',
    region: s.location?.regionName ?? region,
    state: s.state ?? 'pending',
    sizeInGb: s.sizeInGb,
    fromInstanceName: s.fromInstanceName,
    fromBundleId: s.fromBundleId,
    fromBlueprintId: s.fromBlueprintId,
    createdAt: s.createdAt,
    tags: tagsFromSdk(s.tags),
    arn: s.arn ?? '',
  };
}

export function keyPairFromSdk(k: Sdk.KeyPair, region: string): KeyPair {
  return {
    name: k.name ?? '',
    region: k.location?.regionName ?? region,
    fingerprint: k.fingerprint,
    createdAt: k.createdAt,
    tags: tagsFromSdk(k.tags),
    arn: k.arn ?? '',
  };
}

export function operationFromSdk(o: Sdk.Operation, region: string): Operation {
  return {
    id: o.id ?? '',
    region: o.location?.regionName ?? region,
    resourceName: o.resourceName ?? '',
    operationType: o.operationType ?? '',
    status: o.status ?? 'NotStarted',
    isTerminal: o.isTerminal ?? false,
    createdAt: o.createdAt,
    errorCode: o.errorCode || undefined,
    errorDetails: o.errorDetails || undefined,
  };
}

export function bundleFromSdk(b: Sdk.Bundle): Bundle {
  return {
    id: b.bundleId ?? '',
    name: b.name ?? '',
    priceMonthlyUsd: b.price ?? 0,
    cpuCount: b.cpuCount ?? 0,
    ramSizeInGb: b.ramSizeInGb ?? 0,
    diskSizeInGb: b.diskSizeInGb ?? 0,
    transferPerMonthInGb: b.transferPerMonthInGb ?? 0,
    isActive: b.isActive ?? true,
    platforms: b.supportedPlatforms ?? [],
  };
}

export function blueprintFromSdk(b: Sdk.Blueprint): Blueprint {
  return {
    id: b.blueprintId ?? '',
    name: b.name ?? '',
    group: b.group ?? '',
    type: b.type ?? 'os',
    platform: b.platform ?? '',
    version: b.version ?? '',
    isActive: b.isActive ?? true,
    minPower: b.minPower ?? 0,
  };
}

export function regionFromSdk(r: Sdk.Region): Region {
  return {
    name: r.name ?? '',
    displayName: r.displayName ?? '',
    description: r.description ?? '',
    availabilityZones: (r.availabilityZones ?? [])
      .filter((zone) => zone.state === undefined || zone.state === 'available')
      .map((zone) => zone.zoneName ?? '')
      .filter(Boolean),
  };
}

export function accessDetailsFromSdk(a: Sdk.InstanceAccessDetails, instanceName: string): AccessDetails {
  return {
    instanceName: a.instanceName ?? instanceName,
    username: a.username ?? '',
    ipAddress: a.ipAddress ?? '',
    privateKey: a.privateKey ?? '',
    certificate: a.certKey ?? '',
    expiresAt: a.expiresAt,
    hostKeys: (a.hostKeys ?? []).map((k) => ({
      algorithm: k.algorithm ?? '',
      publicKey: k.publicKey ?? '',
      fingerprintSha256: k.fingerprintSHA256,
    })),
  };
}

export function metricPointFromSdk(p: Sdk.MetricDatapoint): MetricPoint {
  return {
    timestamp: p.timestamp ?? new Date(0),
    average: p.average,
    maximum: p.maximum,
    minimum: p.minimum,
    unit: p.unit,
  };
}
