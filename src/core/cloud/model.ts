import type { BundleOption } from '../../shared/create-catalog.js';

/**
 * The cloud as the engine sees it. These shapes are Porthole's own: the SDK's
 * optional-everything types stop at the gateway, so the engine never checks
 * for a missing `name` or converts a `Date`.
 */

/** Lightsail's instance state names (`pending`, `running`, `stopping`, `stopped`, ...). */
export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'starting'
  | 'rebooting'
  | 'shutting-down'
  | 'terminated'
  | (string & {});

export type Tags = Readonly<Record<string, string>>;

export type Protocol = 'tcp' | 'udp' | 'all' | 'icmp' | 'icmpv6';

export interface PortRule {
  fromPort: number;
  toPort: number;
  protocol: Protocol;
  /** IPv4 CIDRs allowed in; empty means anywhere. */
  cidrs: string[];
}

export interface PortStatus extends PortRule {
  state: 'open' | 'closed';
}

export interface Instance {
  name: string;
  region: string;
  availabilityZone: string;
  state: InstanceStateName;
  bundleId: string;
  blueprintId: string;
  publicIp: string | undefined;
  privateIp: string | undefined;
  isStaticIp: boolean;
  createdAt: Date | undefined;
  tags: Tags;
  arn: string;
  /** The firewall rules, when Lightsail included them in the answer. */
  ports?: PortRule[];
  /** The UTC hour (`HH:00`) of its daily automatic snapshot, while that add-on is on. */
  autoSnapshotTimeOfDay?: string;
}

export type AutoSnapshotStatus = 'Success' | 'InProgress' | 'Failed' | 'NotFound' | (string & {});

/** One of an instance's daily automatic snapshots: Lightsail names them by their UTC day. */
export interface AutoSnapshot {
  /** `YYYY-MM-DD`. */
  date: string;
  createdAt: Date | undefined;
  status: AutoSnapshotStatus;
}

export interface StaticIp {
  name: string;
  region: string;
  ipAddress: string;
  attachedTo: string | undefined;
  isAttached: boolean;
  createdAt: Date | undefined;
  arn: string;
}

export type SnapshotState = 'pending' | 'available' | 'error' | (string & {});

export interface Snapshot {
  name: string;
  region: string;
  state: SnapshotState;
  sizeInGb: number | undefined;
  fromInstanceName: string | undefined;
  fromBundleId: string | undefined;
  fromBlueprintId: string | undefined;
  createdAt: Date | undefined;
  tags: Tags;
  arn: string;
}

/** A Lightsail SSH key pair. Porthole makes none (its logins are short-lived certificates); it only sweeps ones tagged as its own. */
export interface KeyPair {
  name: string;
  region: string;
  fingerprint: string | undefined;
  createdAt: Date | undefined;
  tags: Tags;
  arn: string;
}

export type OperationStatus = 'NotStarted' | 'Started' | 'Failed' | 'Completed' | 'Succeeded' | (string & {});

export interface Operation {
  id: string;
  region: string;
  resourceName: string;
  operationType: string;
  status: OperationStatus;
  isTerminal: boolean;
  createdAt: Date | undefined;
  errorCode: string | undefined;
  errorDetails: string | undefined;
}

/** A bundle as Lightsail sells it: what the create wizard offers (BundleOption), and what decides whether it may be offered. */
export interface Bundle extends BundleOption {
  transferPerMonthInGb: number;
  isActive: boolean;
  /** `LINUX_UNIX` or `WINDOWS`: a Linux blueprint needs a Linux bundle. */
  platforms: string[];
}

export interface Blueprint {
  id: string;
  name: string;
  group: string;
  type: 'os' | 'app' | (string & {});
  platform: string;
  version: string;
  isActive: boolean;
  minPower: number;
}

export interface Region {
  name: string;
  displayName: string;
  description: string;
  availabilityZones: string[];
}

export interface HostKey {
  algorithm: string;
  publicKey: string;
  fingerprintSha256: string | undefined;
}

/** A short-lived SSH login to an instance, signed by Lightsail's CA. */
export interface AccessDetails {
  instanceName: string;
  username: string;
  ipAddress: string;
  privateKey: string;
  /** The OpenSSH user certificate for `privateKey`. */
  certificate: string;
  expiresAt: Date | undefined;
  hostKeys: HostKey[];
}

export interface MetricPoint {
  timestamp: Date;
  average: number | undefined;
  maximum: number | undefined;
  minimum: number | undefined;
  unit: string | undefined;
}
