import {
  AllocateStaticIpCommand,
  AttachStaticIpCommand,
  CloseInstancePublicPortsCommand,
  CreateInstanceSnapshotCommand,
  CreateInstancesCommand,
  CreateInstancesFromSnapshotCommand,
  DeleteInstanceCommand,
  DeleteInstanceSnapshotCommand,
  DetachStaticIpCommand,
  GetBlueprintsCommand,
  GetBundlesCommand,
  GetInstanceAccessDetailsCommand,
  GetInstanceCommand,
  GetInstanceMetricDataCommand,
  GetInstancePortStatesCommand,
  GetInstanceSnapshotCommand,
  GetInstanceSnapshotsCommand,
  GetInstanceStateCommand,
  GetInstancesCommand,
  GetOperationCommand,
  GetOperationsForResourceCommand,
  GetRegionsCommand,
  GetStaticIpCommand,
  GetStaticIpsCommand,
  type LightsailClient,
  OpenInstancePublicPortsCommand,
  type Operation as SdkOperation,
  PutInstancePublicPortsCommand,
  RebootInstanceCommand,
  ReleaseStaticIpCommand,
  StartInstanceCommand,
  StopInstanceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lightsail';
import { type ErrorKind, PortholeError, isPortholeError } from '../errors.js';
import { readFailure } from './aws-failure.js';
import { type Clock, systemClock } from './clock.js';
import { type CallContext, errorKindOf, toPortholeError } from './error-mapping.js';
import {
  accessDetailsFromSdk,
  blueprintFromSdk,
  bundleFromSdk,
  instanceFromSdk,
  metricPointFromSdk,
  operationFromSdk,
  portRuleToSdk,
  portStatusFromSdk,
  regionFromSdk,
  snapshotFromSdk,
  staticIpFromSdk,
  tagsToSdk,
} from './from-sdk.js';
import type {
  CreateFromSnapshotRequest,
  CreateInstancesRequest,
  CreateSnapshotRequest,
  LightsailGateway,
  MetricRequest,
} from './lightsail-gateway.js';
import { type LightsailAccount, LightsailClients } from './lightsail-client.js';
import type {
  AccessDetails,
  Blueprint,
  Bundle,
  Instance,
  InstanceStateName,
  MetricPoint,
  Operation,
  PortRule,
  PortStatus,
  Region,
  Snapshot,
  StaticIp,
  Tags,
} from './model.js';
import { DEFAULT_WAIT_TIMING, type WaitOptions, type WaitTiming, pollOperations } from './operation-wait.js';
import { collectPages } from './pagination.js';
import { portholeTags, workspaceOf } from './porthole-tags.js';
import { type RegionalResult, acrossRegions } from './region-fanout.js';
import { DEFAULT_RETRY_POLICY, type Random, type RetryPolicy, withRetry } from './retry.js';

export interface GatewayOptions {
  clock?: Clock;
  random?: Random;
  retryPolicy?: RetryPolicy;
  waitTiming?: Partial<WaitTiming>;
  /**
   * How long a resource this gateway just created may still read as missing:
   * Lightsail's reads lag its writes, so a not-found that soon is retried.
   */
  settleMs?: number;
}

interface CallSpec<T> {
  region: string;
  action: string;
  operation: string;
  /** Safe to repeat even when an earlier attempt's answer was lost. */
  idempotent: boolean;
  /** Resources the call names, for the just-created not-found allowance. */
  resources?: string[];
  /** Resources the call creates: reads of them may lag for `settleMs`, even while this call retries. */
  creates?: string[];
  /** Resources the call deletes: from then on a not-found for them is the truth. */
  deletes?: string[];
  recover?: (error: unknown) => Promise<T | undefined>;
}

const DEFAULT_SETTLE_MS = 60_000;

export class SdkLightsailGateway implements LightsailGateway {
  readonly #clients: LightsailClients;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #policy: RetryPolicy;
  readonly #timing: WaitTiming;
  readonly #settleMs: number;
  /** When this gateway last created each `region/name`. */
  readonly #created = new Map<string, number>();

  constructor(readonly account: LightsailAccount, options: GatewayOptions = {}) {
    this.#clients = new LightsailClients(account);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.#timing = { ...DEFAULT_WAIT_TIMING, ...options.waitTiming };
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  close(): void {
    this.#clients.destroy();
  }

  async getRegions(): Promise<Region[]> {
    const region = this.account.region;
    const out = await this.#call(
      { region, action: 'list the Lightsail regions', operation: 'GetRegions', idempotent: true },
      (c) => c.send(new GetRegionsCommand({ includeAvailabilityZones: true })),
    );
    return (out.regions ?? []).map(regionFromSdk);
  }

  getBundles(region: string): Promise<Bundle[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: 'list the instance bundles', operation: 'GetBundles', idempotent: true },
        (c) => c.send(new GetBundlesCommand({ pageToken })),
      );
      return { items: (out.bundles ?? []).map(bundleFromSdk), nextPageToken: out.nextPageToken };
    });
  }

  getBlueprints(region: string): Promise<Blueprint[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: 'list the instance blueprints', operation: 'GetBlueprints', idempotent: true },
        (c) => c.send(new GetBlueprintsCommand({ pageToken })),
      );
      return { items: (out.blueprints ?? []).map(blueprintFromSdk), nextPageToken: out.nextPageToken };
    });
  }

  listInstances(region: string): Promise<Instance[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: 'list instances', operation: 'GetInstances', idempotent: true },
        (c) => c.send(new GetInstancesCommand({ pageToken })),
      );
      return { items: (out.instances ?? []).map((i) => instanceFromSdk(i, region)), nextPageToken: out.nextPageToken };
    });
  }

  async listInstancesInRegions(regions: readonly string[], concurrency?: number): Promise<RegionalResult<Instance>> {
    const result = await acrossRegions(
      regions,
      (region) => this.listInstances(region),
      (error, region) =>
        toPortholeError(error, this.#context({ region, action: 'list instances', operation: 'GetInstances' })),
      concurrency,
    );
    // Keys that work in some regions but are "invalid" in others are almost
    // always keys meeting an opt-in region that this account has not enabled.
    if (result.failures.length < regions.length) {
      result.failures = result.failures.map((f) => (f.error.kind === 'credentials' ? { ...f, error: regionNotEnabled(f.region, f.error) } : f));
    }
    return result;
  }

  async getInstance(region: string, name: string): Promise<Instance> {
    const out = await this.#call(
      { region, action: `read instance "${name}"`, operation: 'GetInstance', idempotent: true, resources: [name] },
      (c) => c.send(new GetInstanceCommand({ instanceName: name })),
    );
    if (!out.instance) throw emptyAnswer('GetInstance', region);
    return instanceFromSdk(out.instance, region);
  }

  findInstance(region: string, name: string): Promise<Instance | undefined> {
    return orUndefinedIfMissing(this.getInstance(region, name));
  }

  async getInstanceState(region: string, name: string): Promise<InstanceStateName> {
    const out = await this.#call(
      { region, action: `read the state of instance "${name}"`, operation: 'GetInstanceState', idempotent: true, resources: [name] },
      (c) => c.send(new GetInstanceStateCommand({ instanceName: name })),
    );
    return out.state?.name ?? 'pending';
  }

  createInstances(request: CreateInstancesRequest): Promise<Operation[]> {
    const { region, instanceNames } = request;
    return this.#mutate(
      {
        region,
        action: `create instance ${quoteList(instanceNames)}`,
        operation: 'CreateInstances',
        idempotent: false,
        creates: instanceNames,
        recover: (error) => this.#recoverCreatedInstances(error, request, 'CreateInstance'),
      },
      (c) =>
        c.send(
          new CreateInstancesCommand({
            instanceNames,
            availabilityZone: request.availabilityZone ?? `${region}a`,
            bundleId: request.bundleId,
            blueprintId: request.blueprintId,
            userData: request.userData,
            tags: tagsToSdk(portholeTags(request.workspace, request.tags)),
          }),
        ),
    );
  }

  createInstancesFromSnapshot(request: CreateFromSnapshotRequest): Promise<Operation[]> {
    const { region, instanceNames } = request;
    return this.#mutate(
      {
        region,
        action: `create instance ${quoteList(instanceNames)} from snapshot "${request.snapshotName}"`,
        operation: 'CreateInstancesFromSnapshot',
        idempotent: false,
        creates: instanceNames,
        resources: [request.snapshotName],
        recover: (error) => this.#recoverCreatedInstances(error, request, 'CreateInstancesFromSnapshot'),
      },
      (c) =>
        c.send(
          new CreateInstancesFromSnapshotCommand({
            instanceNames,
            instanceSnapshotName: request.snapshotName,
            availabilityZone: request.availabilityZone ?? `${region}a`,
            bundleId: request.bundleId,
            userData: request.userData,
            tags: tagsToSdk(portholeTags(request.workspace, request.tags)),
          }),
        ),
    );
  }

  startInstance(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `start instance "${name}"`,
        operation: 'StartInstance',
        idempotent: false,
        resources: [name],
        recover: this.#recoverState(region, name, ['pending', 'starting', 'running'], 'StartInstance'),
      },
      (c) => c.send(new StartInstanceCommand({ instanceName: name })),
    );
  }

  stopInstance(region: string, name: string, options: { force?: boolean } = {}): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `${options.force ? 'force-stop' : 'stop'} instance "${name}"`,
        operation: 'StopInstance',
        idempotent: false,
        resources: [name],
        recover: this.#recoverState(region, name, ['stopping', 'stopped'], 'StopInstance'),
      },
      (c) => c.send(new StopInstanceCommand({ instanceName: name, force: options.force })),
    );
  }

  rebootInstance(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `reboot instance "${name}"`,
        operation: 'RebootInstance',
        idempotent: false,
        resources: [name],
        recover: this.#recoverState(region, name, ['rebooting', 'running'], 'RebootInstance'),
      },
      (c) => c.send(new RebootInstanceCommand({ instanceName: name })),
    );
  }

  deleteInstance(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `delete instance "${name}"`,
        operation: 'DeleteInstance',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => {
          if (isKind(error, 'not-found')) return [];
          if (!isKind(error, 'wrong-state')) return undefined;
          const instance = await this.findInstance(region, name);
          if (!instance) return [];
          return instance.state === 'shutting-down' ? this.#latestOperations(region, name, 'DeleteInstance') : undefined;
        },
      },
      (c) => c.send(new DeleteInstanceCommand({ instanceName: name })),
    );
  }

  async waitForInstanceState(
    region: string,
    name: string,
    state: InstanceStateName,
    options: WaitOptions = {},
  ): Promise<Instance> {
    const timeoutMs = options.timeoutMs ?? this.#timing.timeoutMs;
    const pollMs = options.pollIntervalMs ?? this.#timing.pollIntervalMs;
    const started = this.#clock.now();
    let last: Instance | undefined;
    for (;;) {
      const instance = await this.findInstance(region, name);
      if (instance?.state === state) return instance;
      if (instance === undefined && this.#clock.now() - started > this.#timing.visibilityGraceMs) {
        throw new PortholeError('not-found', `Instance "${name}" in ${region} disappeared while waiting for it to be ${state}.`, {
          fix: 'It may have been deleted outside Porthole; refresh to see what is left.',
        });
      }
      last = instance ?? last;
      if (this.#clock.now() - started >= timeoutMs) {
        throw new PortholeError(
          'timeout',
          `Instance "${name}" in ${region} did not become ${state} within ${Math.round(timeoutMs / 1000)} s (it is ${last?.state ?? 'not visible yet'}).`,
          { fix: 'It may still get there; refresh in a few minutes, or force-stop it if it is stuck stopping.' },
        );
      }
      await this.#clock.sleep(pollMs);
    }
  }

  allocateStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `reserve static IP "${name}"`,
        operation: 'AllocateStaticIp',
        idempotent: false,
        creates: [name],
        recover: async (error) => {
          if (!isKind(error, 'name-taken')) return undefined;
          const ip = await this.findStaticIp(region, name);
          return ip && !ip.isAttached ? this.#latestOperations(region, name, 'AllocateStaticIp') : undefined;
        },
      },
      (c) => c.send(new AllocateStaticIpCommand({ staticIpName: name })),
    );
  }

  attachStaticIp(region: string, staticIpName: string, instanceName: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `attach static IP "${staticIpName}" to instance "${instanceName}"`,
        operation: 'AttachStaticIp',
        idempotent: false,
        resources: [staticIpName, instanceName],
        recover: async () => {
          const ip = await this.findStaticIp(region, staticIpName);
          return ip?.attachedTo === instanceName ? this.#latestOperations(region, staticIpName, 'AttachStaticIp') : undefined;
        },
      },
      (c) => c.send(new AttachStaticIpCommand({ staticIpName, instanceName })),
    );
  }

  detachStaticIp(region: string, staticIpName: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `detach static IP "${staticIpName}"`,
        operation: 'DetachStaticIp',
        idempotent: false,
        resources: [staticIpName],
        recover: async () => {
          const ip = await this.findStaticIp(region, staticIpName);
          return ip && !ip.isAttached ? [] : undefined;
        },
      },
      (c) => c.send(new DetachStaticIpCommand({ staticIpName })),
    );
  }

  releaseStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `release static IP "${name}"`,
        operation: 'ReleaseStaticIp',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new ReleaseStaticIpCommand({ staticIpName: name })),
    );
  }

  async getStaticIp(region: string, name: string): Promise<StaticIp> {
    const out = await this.#call(
      { region, action: `read static IP "${name}"`, operation: 'GetStaticIp', idempotent: true, resources: [name] },
      (c) => c.send(new GetStaticIpCommand({ staticIpName: name })),
    );
    if (!out.staticIp) throw emptyAnswer('GetStaticIp', region);
    return staticIpFromSdk(out.staticIp, region);
  }

  findStaticIp(region: string, name: string): Promise<StaticIp | undefined> {
    return orUndefinedIfMissing(this.getStaticIp(region, name));
  }

  listStaticIps(region: string): Promise<StaticIp[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: 'list static IPs', operation: 'GetStaticIps', idempotent: true },
        (c) => c.send(new GetStaticIpsCommand({ pageToken })),
      );
      return { items: (out.staticIps ?? []).map((s) => staticIpFromSdk(s, region)), nextPageToken: out.nextPageToken };
    });
  }

  // The three port calls are safe to repeat: each sets a rule rather than toggling it.
  putPublicPorts(region: string, instanceName: string, rules: PortRule[]): Promise<Operation[]> {
    return this.#mutate(
      { region, action: `set the firewall of instance "${instanceName}"`, operation: 'PutInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new PutInstancePublicPortsCommand({ instanceName, portInfos: rules.map(portRuleToSdk) })),
    );
  }

  openPublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.#mutate(
      { region, action: `open ${describeRule(rule)} on instance "${instanceName}"`, operation: 'OpenInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new OpenInstancePublicPortsCommand({ instanceName, portInfo: portRuleToSdk(rule) })),
    );
  }

  closePublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.#mutate(
      { region, action: `close ${describeRule(rule)} on instance "${instanceName}"`, operation: 'CloseInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new CloseInstancePublicPortsCommand({ instanceName, portInfo: portRuleToSdk(rule) })),
    );
  }

  async getPortStates(region: string, instanceName: string): Promise<PortStatus[]> {
    const out = await this.#call(
      { region, action: `read the firewall of instance "${instanceName}"`, operation: 'GetInstancePortStates', idempotent: true, resources: [instanceName] },
      (c) => c.send(new GetInstancePortStatesCommand({ instanceName })),
    );
    return (out.portStates ?? []).map(portStatusFromSdk);
  }

  createSnapshot(request: CreateSnapshotRequest): Promise<Operation[]> {
    const { region, instanceName, snapshotName } = request;
    return this.#mutate(
      {
        region,
        action: `snapshot instance "${instanceName}" as "${snapshotName}"`,
        operation: 'CreateInstanceSnapshot',
        idempotent: false,
        creates: [snapshotName],
        resources: [instanceName],
        recover: async (error) => {
          if (!isKind(error, 'name-taken')) return undefined;
          const snapshot = await this.findSnapshot(region, snapshotName);
          const ours = snapshot?.fromInstanceName === instanceName && workspaceOf(snapshot.tags) === request.workspace;
          return ours ? this.#latestOperations(region, snapshotName, 'CreateInstanceSnapshot') : undefined;
        },
      },
      (c) =>
        c.send(
          new CreateInstanceSnapshotCommand({
            instanceName,
            instanceSnapshotName: snapshotName,
            tags: tagsToSdk(portholeTags(request.workspace, request.tags)),
          }),
        ),
    );
  }

  async getSnapshot(region: string, name: string): Promise<Snapshot> {
    const out = await this.#call(
      { region, action: `read snapshot "${name}"`, operation: 'GetInstanceSnapshot', idempotent: true, resources: [name] },
      (c) => c.send(new GetInstanceSnapshotCommand({ instanceSnapshotName: name })),
    );
    if (!out.instanceSnapshot) throw emptyAnswer('GetInstanceSnapshot', region);
    return snapshotFromSdk(out.instanceSnapshot, region);
  }

  findSnapshot(region: string, name: string): Promise<Snapshot | undefined> {
    return orUndefinedIfMissing(this.getSnapshot(region, name));
  }

  listSnapshots(region: string): Promise<Snapshot[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: 'list snapshots', operation: 'GetInstanceSnapshots', idempotent: true },
        (c) => c.send(new GetInstanceSnapshotsCommand({ pageToken })),
      );
      return {
        items: (out.instanceSnapshots ?? []).map((s) => snapshotFromSdk(s, region)),
        nextPageToken: out.nextPageToken,
      };
    });
  }

  deleteSnapshot(region: string, name: string): Promise<Operation[]> {
    return this.#mutate(
      {
        region,
        action: `delete snapshot "${name}"`,
        operation: 'DeleteInstanceSnapshot',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new DeleteInstanceSnapshotCommand({ instanceSnapshotName: name })),
    );
  }

  async getOperation(region: string, id: string): Promise<Operation> {
    const out = await this.#call(
      { region, action: `read operation ${id}`, operation: 'GetOperation', idempotent: true, resources: [id] },
      (c) => c.send(new GetOperationCommand({ operationId: id })),
    );
    if (!out.operation) throw emptyAnswer('GetOperation', region);
    return operationFromSdk(out.operation, region);
  }

  getOperationsForResource(region: string, resourceName: string): Promise<Operation[]> {
    return collectPages(async (pageToken) => {
      const out = await this.#call(
        { region, action: `list the operations on "${resourceName}"`, operation: 'GetOperationsForResource', idempotent: true },
        (c) => c.send(new GetOperationsForResourceCommand({ resourceName, pageToken })),
      );
      return { items: (out.operations ?? []).map((o) => operationFromSdk(o, region)), nextPageToken: out.nextPageToken };
    });
  }

  waitForOperations(operations: readonly Operation[], options: WaitOptions = {}): Promise<Operation[]> {
    const timing = {
      ...this.#timing,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    };
    const regionOf = new Map(operations.map((op) => [op.id, op.region]));
    return pollOperations(
      operations,
      (id) => orUndefinedIfMissing(this.getOperation(regionOf.get(id) ?? this.account.region, id)),
      this.#clock,
      timing,
      options.onProgress,
    );
  }

  tagResource(region: string, resourceName: string, tags: Tags): Promise<Operation[]> {
    return this.#mutate(
      { region, action: `tag "${resourceName}"`, operation: 'TagResource', idempotent: true, resources: [resourceName] },
      (c) => c.send(new TagResourceCommand({ resourceName, tags: tagsToSdk(tags) })),
    );
  }

  untagResource(region: string, resourceName: string, keys: string[]): Promise<Operation[]> {
    return this.#mutate(
      { region, action: `untag "${resourceName}"`, operation: 'UntagResource', idempotent: true, resources: [resourceName] },
      (c) => c.send(new UntagResourceCommand({ resourceName, tagKeys: keys })),
    );
  }

  async getAccessDetails(region: string, instanceName: string): Promise<AccessDetails> {
    // Each answer is a fresh certificate and nothing persists, so repeating it is harmless.
    const out = await this.#call(
      { region, action: `get SSH access to instance "${instanceName}"`, operation: 'GetInstanceAccessDetails', idempotent: true, resources: [instanceName] },
      (c) => c.send(new GetInstanceAccessDetailsCommand({ instanceName, protocol: 'ssh' })),
    );
    if (!out.accessDetails) throw emptyAnswer('GetInstanceAccessDetails', region);
    return accessDetailsFromSdk(out.accessDetails, instanceName);
  }

  async getCpuUtilization(region: string, instanceName: string, request: MetricRequest): Promise<MetricPoint[]> {
    const out = await this.#call(
      { region, action: `read the CPU use of instance "${instanceName}"`, operation: 'GetInstanceMetricData', idempotent: true, resources: [instanceName] },
      (c) =>
        c.send(
          new GetInstanceMetricDataCommand({
            instanceName,
            metricName: 'CPUUtilization',
            period: request.periodSeconds ?? 300,
            startTime: request.start,
            endTime: request.end,
            unit: 'Percent',
            statistics: ['Average', 'Maximum', 'Minimum'],
          }),
        ),
    );
    return (out.metricData ?? []).map(metricPointFromSdk).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  async #mutate(
    spec: CallSpec<Operation[]>,
    send: (client: LightsailClient) => Promise<{ operations?: SdkOperation[]; operation?: SdkOperation }>,
  ): Promise<Operation[]> {
    const out = await this.#call<Operation[] | { operations?: SdkOperation[]; operation?: SdkOperation }>(spec, send);
    if (Array.isArray(out)) return out;
    const operations = out.operations ?? (out.operation ? [out.operation] : []);
    return operations.map((op) => operationFromSdk(op, spec.region));
  }

  async #call<T>(spec: CallSpec<T>, send: (client: LightsailClient) => Promise<T>): Promise<T> {
    const client = this.#clients.forRegion(spec.region);
    const recover = spec.recover;
    this.#markCreated(spec.region, spec.creates ?? []);
    try {
      const result = await withRetry(() => send(client), {
        policy: this.#policy,
        sleep: (ms) => this.#clock.sleep(ms),
        random: this.#random,
        idempotent: spec.idempotent,
        // A delete that meets not-found has nothing to wait for: its own lost answer may have done it.
        isTransient: (f) => errorKindOf(f) === 'not-found' && !spec.deletes && this.#isSettling(spec.region, spec.resources ?? []),
        ...(recover ? { recover: (error: unknown) => recover(error).catch(() => undefined) } : {}),
      });
      for (const name of spec.deletes ?? []) this.#created.delete(`${spec.region}/${name}`);
      return result;
    } catch (error) {
      for (const name of spec.creates ?? []) this.#created.delete(`${spec.region}/${name}`);
      throw toPortholeError(error, this.#context(spec));
    }
  }

  #context(spec: { region: string; action: string; operation: string }): CallContext {
    return { region: spec.region, action: spec.action, operation: spec.operation, endpoint: this.account.endpoint };
  }

  #markCreated(region: string, names: readonly string[]): void {
    const now = this.#clock.now();
    for (const name of names) this.#created.set(`${region}/${name}`, now);
  }

  #isSettling(region: string, names: readonly string[]): boolean {
    const now = this.#clock.now();
    return names.some((name) => {
      const at = this.#created.get(`${region}/${name}`);
      return at !== undefined && now - at < this.#settleMs;
    });
  }

  /** The newest operation of `type` on a resource: what a lost answer would have returned. */
  async #latestOperations(region: string, resourceName: string, type: string): Promise<Operation[]> {
    const ops = (await this.getOperationsForResource(region, resourceName)).filter((op) => op.operationType === type);
    const newest = ops.reduce<Operation | undefined>(
      (best, op) => (!best || (op.createdAt?.getTime() ?? 0) > (best.createdAt?.getTime() ?? 0) ? op : best),
      undefined,
    );
    return newest ? [newest] : [];
  }

  /** A create whose answer was lost: the names now exist, and they carry this workspace's tags. */
  async #recoverCreatedInstances(
    error: unknown,
    request: CreateInstancesRequest | CreateFromSnapshotRequest,
    operationType: string,
  ): Promise<Operation[] | undefined> {
    if (!isKind(error, 'name-taken')) return undefined;
    const operations: Operation[] = [];
    for (const name of request.instanceNames) {
      const instance = await this.findInstance(request.region, name);
      if (!instance || workspaceOf(instance.tags) !== request.workspace || instance.bundleId !== request.bundleId) return undefined;
      operations.push(...(await this.#latestOperations(request.region, name, operationType)));
    }
    return operations;
  }

  /** A state change whose answer was lost: the instance is already on its way. */
  #recoverState(region: string, name: string, states: InstanceStateName[], operationType: string) {
    return async (error: unknown): Promise<Operation[] | undefined> => {
      if (!isKind(error, 'wrong-state')) return undefined;
      const state = await this.getInstanceState(region, name);
      return states.includes(state) ? this.#latestOperations(region, name, operationType) : undefined;
    };
  }
}

function isKind(error: unknown, kind: ErrorKind): boolean {
  return errorKindOf(readFailure(error)) === kind;
}

async function orUndefinedIfMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isPortholeError(error, 'not-found')) return undefined;
    throw error;
  }
}

function regionNotEnabled(region: string, error: PortholeError): PortholeError {
  return new PortholeError(
    'region-not-enabled',
    `Could not list instances in ${region}: AWS refused the account's credentials there while accepting them in other regions, so the region is most likely not enabled for this account.`,
    {
      fix: 'Enable the region in the AWS console under Account > AWS Regions, or stop watching it in Settings.',
      requestId: error.requestId,
      cause: error,
    },
  );
}

function emptyAnswer(operation: string, region: string): PortholeError {
  return new PortholeError('service', `Lightsail answered ${operation} in ${region} without the expected data.`, {
    fix: 'Try again; if it keeps happening, report it with the log.',
  });
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function describeRule(rule: PortRule): string {
  const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol.toUpperCase()} ${ports}`;
}
