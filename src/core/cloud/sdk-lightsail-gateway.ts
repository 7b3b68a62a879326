import { AccessCalls } from './access-calls.js';
import { BackupCalls } from './backup-calls.js';
import { CatalogueCalls } from './catalogue-calls.js';
import { FirewallCalls } from './firewall-calls.js';
import { GatewayCalls, type GatewayOptions } from './gateway-calls.js';
import { InstanceCalls } from './instance-calls.js';
import { KeyPairCalls } from './key-pair-calls.js';
import type {
  CreateFromSnapshotRequest,
  CreateInstancesRequest,
  CreateSnapshotRequest,
  LightsailGateway,
  MetricRequest,
} from './lightsail-gateway.js';
import type { LightsailAccount } from './lightsail-client.js';
import type {
  AccessDetails,
  AutoSnapshot,
  Blueprint,
  Bundle,
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
import { SnapshotCalls } from './snapshot-calls.js';
import { StaticIpCalls } from './static-ip-calls.js';

/**
 * The gateway over the AWS SDK: one object for the engine, its calls kept
 * by resource, all sharing one retry, recovery and error-mapping path.
 */
export class SdkLightsailGateway implements LightsailGateway {
  readonly #calls: GatewayCalls;
  readonly #catalogue: CatalogueCalls;
  readonly #instances: InstanceCalls;
  readonly #staticIps: StaticIpCalls;
  readonly #firewall: FirewallCalls;
  readonly #snapshots: SnapshotCalls;
  readonly #access: AccessCalls;
  readonly #backups: BackupCalls;
  readonly #keyPairs: KeyPairCalls;

  constructor(readonly account: LightsailAccount, options: GatewayOptions = {}) {
    this.#calls = new GatewayCalls(account, options);
    this.#catalogue = new CatalogueCalls(this.#calls);
    this.#instances = new InstanceCalls(this.#calls);
    this.#staticIps = new StaticIpCalls(this.#calls);
    this.#firewall = new FirewallCalls(this.#calls);
    this.#snapshots = new SnapshotCalls(this.#calls);
    this.#access = new AccessCalls(this.#calls);
    this.#backups = new BackupCalls(this.#calls);
    this.#keyPairs = new KeyPairCalls(this.#calls);
  }

  close(): void {
    this.#calls.close();
  }

  getRegions(): Promise<Region[]> {
    return this.#catalogue.getRegions();
  }
  getBundles(region: string): Promise<Bundle[]> {
    return this.#catalogue.getBundles(region);
  }
  getBlueprints(region: string): Promise<Blueprint[]> {
    return this.#catalogue.getBlueprints(region);
  }

  listInstances(region: string): Promise<Instance[]> {
    return this.#instances.listInstances(region);
  }
  listInstancesInRegions(regions: readonly string[], concurrency?: number): Promise<RegionalResult<Instance>> {
    return this.#instances.listInstancesInRegions(regions, concurrency);
  }
  getInstance(region: string, name: string): Promise<Instance> {
    return this.#instances.getInstance(region, name);
  }
  findInstance(region: string, name: string): Promise<Instance | undefined> {
    return this.#instances.findInstance(region, name);
  }
  getInstanceState(region: string, name: string): Promise<InstanceStateName> {
    return this.#instances.getInstanceState(region, name);
  }
  createInstances(request: CreateInstancesRequest): Promise<Operation[]> {
    return this.#instances.createInstances(request);
  }
  createInstancesFromSnapshot(request: CreateFromSnapshotRequest): Promise<Operation[]> {
    return this.#instances.createInstancesFromSnapshot(request);
  }
  startInstance(region: string, name: string): Promise<Operation[]> {
    return this.#instances.startInstance(region, name);
  }
  stopInstance(region: string, name: string, options?: { force?: boolean }): Promise<Operation[]> {
    return this.#instances.stopInstance(region, name, options);
  }
  rebootInstance(region: string, name: string): Promise<Operation[]> {
    return this.#instances.rebootInstance(region, name);
  }
  deleteInstance(region: string, name: string): Promise<Operation[]> {
    return this.#instances.deleteInstance(region, name);
  }
  waitForInstanceState(region: string, name: string, state: InstanceStateName, options?: WaitOptions): Promise<Instance> {
    return this.#instances.waitForInstanceState(region, name, state, options);
  }

  allocateStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.#staticIps.allocateStaticIp(region, name);
  }
  attachStaticIp(region: string, staticIpName: string, instanceName: string): Promise<Operation[]> {
    return this.#staticIps.attachStaticIp(region, staticIpName, instanceName);
  }
  detachStaticIp(region: string, staticIpName: string): Promise<Operation[]> {
    return this.#staticIps.detachStaticIp(region, staticIpName);
  }
  releaseStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.#staticIps.releaseStaticIp(region, name);
  }
  getStaticIp(region: string, name: string): Promise<StaticIp> {
    return this.#staticIps.getStaticIp(region, name);
  }
  findStaticIp(region: string, name: string): Promise<StaticIp | undefined> {
    return this.#staticIps.findStaticIp(region, name);
  }
  listStaticIps(region: string): Promise<StaticIp[]> {
    return this.#staticIps.listStaticIps(region);
  }

  putPublicPorts(region: string, instanceName: string, rules: PortRule[]): Promise<Operation[]> {
    return this.#firewall.putPublicPorts(region, instanceName, rules);
  }
  openPublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.#firewall.openPublicPorts(region, instanceName, rule);
  }
  closePublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.#firewall.closePublicPorts(region, instanceName, rule);
  }
  getPortStates(region: string, instanceName: string): Promise<PortStatus[]> {
    return this.#firewall.getPortStates(region, instanceName);
  }

  createSnapshot(request: CreateSnapshotRequest): Promise<Operation[]> {
    return this.#snapshots.createSnapshot(request);
  }
  getSnapshot(region: string, name: string): Promise<Snapshot> {
    return this.#snapshots.getSnapshot(region, name);
  }
  findSnapshot(region: string, name: string): Promise<Snapshot | undefined> {
    return this.#snapshots.findSnapshot(region, name);
  }
  listSnapshots(region: string): Promise<Snapshot[]> {
    return this.#snapshots.listSnapshots(region);
  }
  deleteSnapshot(region: string, name: string): Promise<Operation[]> {
    return this.#snapshots.deleteSnapshot(region, name);
  }

  enableAutoSnapshots(region: string, instanceName: string, timeOfDay?: string): Promise<Operation[]> {
    return this.#backups.enableAutoSnapshots(region, instanceName, timeOfDay);
  }
  disableAutoSnapshots(region: string, instanceName: string): Promise<Operation[]> {
    return this.#backups.disableAutoSnapshots(region, instanceName);
  }
  listAutoSnapshots(region: string, instanceName: string): Promise<AutoSnapshot[]> {
    return this.#backups.listAutoSnapshots(region, instanceName);
  }
  deleteAutoSnapshot(region: string, instanceName: string, date: string): Promise<Operation[]> {
    return this.#backups.deleteAutoSnapshot(region, instanceName, date);
  }

  getOperation(region: string, id: string): Promise<Operation> {
    return this.#calls.getOperation(region, id);
  }
  getOperationsForResource(region: string, resourceName: string): Promise<Operation[]> {
    return this.#calls.getOperationsForResource(region, resourceName);
  }
  waitForOperations(operations: readonly Operation[], options?: WaitOptions): Promise<Operation[]> {
    return this.#calls.waitForOperations(operations, options);
  }

  listKeyPairs(region: string): Promise<KeyPair[]> {
    return this.#keyPairs.listKeyPairs(region);
  }
  deleteKeyPair(region: string, name: string): Promise<Operation[]> {
    return this.#keyPairs.deleteKeyPair(region, name);
  }

  tagResource(region: string, resourceName: string, tags: Tags): Promise<Operation[]> {
    return this.#calls.tagResource(region, resourceName, tags);
  }
  untagResource(region: string, resourceName: string, keys: string[]): Promise<Operation[]> {
    return this.#calls.untagResource(region, resourceName, keys);
  }

  getAccessDetails(region: string, instanceName: string): Promise<AccessDetails> {
    return this.#access.getAccessDetails(region, instanceName);
  }
  getCpuUtilization(region: string, instanceName: string, request: MetricRequest): Promise<MetricPoint[]> {
    return this.#access.getCpuUtilization(region, instanceName, request);
  }
}
