import type { ClockReading } from './clock.js';

/**
 * Everything the emulator remembers, as plain data so the state file is this
 * object written out. Times are emulated epoch milliseconds; the wire layer
 * turns them into the epoch seconds the service sends.
 */
export interface WorldData {
  version: 1;
  accountId: string;
  clock: ClockReading;
  /** Lightsail resources live in a region; each region is its own index. */
  regions: Record<string, RegionData>;
  ledger: LedgerEntry[];
  /** The key the emulator signs SSH user certificates with; made on first use. */
  sshCa?: KeyPairData;
  /** Seeds the random source after a restart so ids do not repeat. */
  randomSeed: number;
  sequence: number;
}

export interface RegionData {
  instances: Record<string, InstanceData>;
  staticIps: Record<string, StaticIpData>;
  snapshots: Record<string, SnapshotData>;
  /** Missing in state files written before the emulator served key pairs. */
  keyPairs?: Record<string, UserKeyPairData>;
  operations: OperationData[];
}

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface Tag {
  key: string;
  value?: string;
}

export interface PortRule {
  fromPort: number;
  toPort: number;
  protocol: string;
  cidrs: string[];
  ipv6Cidrs: string[];
  cidrListAliases: string[];
}

/** A state change under way: at `at` the resource becomes `to` and its operations succeed. */
export interface Transition<S extends string> {
  to: S | 'gone';
  at: number;
  operationIds: string[];
}

export interface InstanceData {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: number;
  availabilityZone: string;
  blueprintId: string;
  bundleId: string;
  state: InstanceStateName;
  transition?: Transition<InstanceStateName>;
  publicIpAddress?: string;
  privateIpAddress: string;
  ipv6Addresses: string[];
  staticIpName?: string;
  ports: PortRule[];
  tags: Tag[];
  keyPairName: string;
  userData?: string;
  /** The snapshot it was launched from, when it was. */
  fromSnapshotName?: string;
  hostKeys?: HostKeyData[];
  /** What its disk held before its own launch script ran: the snapshot it was created from. */
  baseDisk?: DiskData;
  /** The certificate its launch script made for direct access; kept as the disk keeps it, so a pinned fingerprint survives a restart. */
  tls?: TlsData;
  /** Its launch script's progress file as its provisioning left it; a snapshot keeps it, as the disk does. */
  progress?: string;
  /** The automatic snapshot add-on; its snapshots belong to the instance and go when it is deleted. */
  autoSnapshot?: AutoSnapshotAddOnData;
}

export interface AutoSnapshotAddOnData {
  /** Disabling keeps the snapshots already taken. */
  enabled: boolean;
  /** `HH:00`, UTC. */
  timeOfDay: string;
  /** When the next daily snapshot falls due (emulated epoch ms). */
  nextAt: number;
  /** Oldest first, at most seven. */
  snapshots: AutoSnapshotData[];
}

export interface AutoSnapshotData {
  /** `YYYY-MM-DD`: the service names automatic snapshots by their day. */
  date: string;
  createdAt: number;
  arn: string;
  sizeInGb: number;
  fromBlueprintId: string;
  fromBundleId: string;
  disk: DiskData;
}

/** The parts of a disk the sandbox runtime reproduces: the launch scripts that configured it, and their certificate. */
export interface DiskData {
  /** Oldest first; the last one that configures code-server is the configuration in force. */
  launchScripts: string[];
  tls?: TlsData;
  /** The progress markers of the launches that ran on it, which an instance made from it finds on its disk. */
  progress?: string;
}

export interface TlsData {
  certPem: string;
  keyPem: string;
}

export interface StaticIpData {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: number;
  ipAddress: string;
  attachedTo?: string;
}

/** A key pair made with CreateKeyPair: Lightsail keeps only its public half. */
export interface UserKeyPairData {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: number;
  /** OpenSSH public key blob, base64. */
  publicKey: string;
  fingerprint: string;
  tags: Tag[];
}

export type SnapshotStateName = 'pending' | 'available' | 'error';

export interface SnapshotData {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: number;
  state: SnapshotStateName;
  transition?: Transition<SnapshotStateName>;
  sizeInGb: number;
  fromInstanceName: string;
  fromInstanceArn: string;
  fromBlueprintId: string;
  fromBundleId: string;
  tags: Tag[];
  /** What the instance's disk held, for instances created from it. */
  disk?: DiskData;
}

export interface OperationData {
  id: string;
  seq: number;
  resourceName: string;
  resourceType: 'Instance' | 'StaticIp' | 'InstanceSnapshot' | 'KeyPair';
  createdAt: number;
  availabilityZone: string;
  operationType: string;
  operationDetails: string;
  status: 'Started' | 'Succeeded' | 'Failed';
  statusChangedAt: number;
}

export interface KeyPairData {
  privateKeyPem: string;
  /** OpenSSH public key blob, base64. */
  publicKey: string;
}

export interface HostKeyData extends KeyPairData {
  algorithm: string;
  witnessedAt: number;
}

/** One billable resource; `intervals` are the emulated spans during which it accrued. */
export interface LedgerEntry {
  region: string;
  resourceType: 'Instance' | 'StaticIp' | 'InstanceSnapshot';
  resourceName: string;
  /** Distinguishes a resource from a later one of the same name. */
  arn: string;
  usdPerHour: number;
  intervals: Array<{ from: number; to?: number; freeMs?: number }>;
}

export function emptyRegion(): RegionData {
  return { instances: {}, staticIps: {}, snapshots: {}, keyPairs: {}, operations: [] };
}

/** A region's key pairs; a state file from before key pairs has none. */
export function keyPairsOf(region: RegionData): Record<string, UserKeyPairData> {
  region.keyPairs ??= {};
  return region.keyPairs;
}
