import type {
  AccessDetails,
  Blueprint,
  Bundle,
  AutoSnapshot,
  Instance,
  InstanceStateName,
  KeyPair,
  MetricPoint,
  Operation,
  PortRule,
  PortStatus,
  Region,
  Snapshot,
  StaticIp,
  Tags,
} from './model.js';
import type { WaitOptions } from './operation-wait.js';
import type { RegionalResult } from './region-fanout.js';

export interface CreateInstancesRequest {
  region: string;
  /** Defaults to the region's first zone (`<region>a`). */
  availabilityZone?: string;
  instanceNames: string[];
  /** The workspace the instances belong to: goes into the `porthole:workspace` tag. */
  workspace: string;
  bundleId: string;
  blueprintId: string;
  /** The launch script, run once as root at first boot. */
  userData?: string;
  /** Extra tags; Porthole's own are always added. */
  tags?: Tags;
}

/** A manual snapshot by name (an image or a hibernation), or a day's automatic snapshot of an instance (a backup). */
export type SnapshotSource = { snapshotName: string } | { backup: { instanceName: string; date: string } };

export type CreateFromSnapshotRequest = Omit<CreateInstancesRequest, 'blueprintId'> & SnapshotSource;

export interface CreateSnapshotRequest {
  region: string;
  instanceName: string;
  snapshotName: string;
  workspace: string;
  tags?: Tags;
}

export interface MetricRequest {
  start: Date;
  end: Date;
  /** Seconds per data point; Lightsail accepts multiples of 60. */
  periodSeconds?: number;
}

/**
 * Every call the engine makes to Lightsail. Calls are regional (Lightsail
 * resources live in one region), retried where that is safe, and fail only
 * with a `PortholeError`. Mutations return the operations Lightsail started;
 * `waitForOperations` turns them into a finished change.
 */
export interface LightsailGateway {
  getRegions(): Promise<Region[]>;
  getBundles(region: string): Promise<Bundle[]>;
  getBlueprints(region: string): Promise<Blueprint[]>;

  listInstances(region: string): Promise<Instance[]>;
  /** Lists many regions at once; a region that fails is reported in `failures`, not thrown. */
  listInstancesInRegions(regions: readonly string[], concurrency?: number): Promise<RegionalResult<Instance>>;
  getInstance(region: string, name: string): Promise<Instance>;
  /** Like `getInstance`, but undefined when there is no such instance. */
  findInstance(region: string, name: string): Promise<Instance | undefined>;
  getInstanceState(region: string, name: string): Promise<InstanceStateName>;
  createInstances(request: CreateInstancesRequest): Promise<Operation[]>;
  createInstancesFromSnapshot(request: CreateFromSnapshotRequest): Promise<Operation[]>;
  startInstance(region: string, name: string): Promise<Operation[]>;
  /** `force` stops an instance stuck in `stopping`. */
  stopInstance(region: string, name: string, options?: { force?: boolean }): Promise<Operation[]>;
  rebootInstance(region: string, name: string): Promise<Operation[]>;
  deleteInstance(region: string, name: string): Promise<Operation[]>;
  /** Polls until the instance is in `state`; an instance not yet visible counts as still coming. */
  waitForInstanceState(region: string, name: string, state: InstanceStateName, options?: WaitOptions): Promise<Instance>;

  allocateStaticIp(region: string, name: string): Promise<Operation[]>;
  attachStaticIp(region: string, staticIpName: string, instanceName: string): Promise<Operation[]>;
  detachStaticIp(region: string, staticIpName: string): Promise<Operation[]>;
  releaseStaticIp(region: string, name: string): Promise<Operation[]>;
  getStaticIp(region: string, name: string): Promise<StaticIp>;
  findStaticIp(region: string, name: string): Promise<StaticIp | undefined>;
  listStaticIps(region: string): Promise<StaticIp[]>;

  /** Replaces the whole firewall of the instance with `rules`. */
  putPublicPorts(region: string, instanceName: string, rules: PortRule[]): Promise<Operation[]>;
  openPublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]>;
  closePublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]>;
  getPortStates(region: string, instanceName: string): Promise<PortStatus[]>;

  createSnapshot(request: CreateSnapshotRequest): Promise<Operation[]>;
  getSnapshot(region: string, name: string): Promise<Snapshot>;
  findSnapshot(region: string, name: string): Promise<Snapshot | undefined>;
  listSnapshots(region: string): Promise<Snapshot[]>;
  deleteSnapshot(region: string, name: string): Promise<Operation[]>;

  /** Backups: the automatic snapshot add-on; `timeOfDay` is a UTC hour, `HH:00`. */
  enableAutoSnapshots(region: string, instanceName: string, timeOfDay?: string): Promise<Operation[]>;
  disableAutoSnapshots(region: string, instanceName: string): Promise<Operation[]>;
  /** Newest first. */
  listAutoSnapshots(region: string, instanceName: string): Promise<AutoSnapshot[]>;
  deleteAutoSnapshot(region: string, instanceName: string, date: string): Promise<Operation[]>;
  listKeyPairs(region: string): Promise<KeyPair[]>;
  deleteKeyPair(region: string, name: string): Promise<Operation[]>;

  getOperation(region: string, id: string): Promise<Operation>;
  getOperationsForResource(region: string, resourceName: string): Promise<Operation[]>;
  /** Polls until every operation is terminal; throws when one failed or the timeout passed. */
  waitForOperations(operations: readonly Operation[], options?: WaitOptions): Promise<Operation[]>;

  tagResource(region: string, resourceName: string, tags: Tags): Promise<Operation[]>;
  untagResource(region: string, resourceName: string, keys: string[]): Promise<Operation[]>;

  /** A short-lived SSH certificate login for the instance. */
  getAccessDetails(region: string, instanceName: string): Promise<AccessDetails>;
  getCpuUtilization(region: string, instanceName: string, request: MetricRequest): Promise<MetricPoint[]>;

  /** Closes the connections; the gateway is unusable afterwards. */
  close(): void;
}
