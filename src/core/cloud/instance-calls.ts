import {
  CreateInstancesCommand,
  CreateInstancesFromSnapshotCommand,
  DeleteInstanceCommand,
  GetInstanceCommand,
  GetInstanceStateCommand,
  GetInstancesCommand,
  RebootInstanceCommand,
  StartInstanceCommand,
  StopInstanceCommand,
} from '@aws-sdk/client-lightsail';
import { PortholeError } from '../errors.js';
import { toPortholeError } from './error-mapping.js';
import { instanceFromSdk, tagsToSdk } from './from-sdk.js';
import { type GatewayCalls, emptyAnswer, isKind, orUndefinedIfMissing } from './gateway-calls.js';
import type { CreateFromSnapshotRequest, CreateInstancesRequest } from './lightsail-gateway.js';
import type { Instance, InstanceStateName, Operation } from './model.js';
import type { WaitOptions } from './operation-wait.js';
import { collectPages } from './pagination.js';
import { portholeTags, workspaceOf } from './porthole-tags.js';
import { type RegionalResult, acrossRegions } from './region-fanout.js';

/** Instances: listing, creating, the power states, deleting. */
export class InstanceCalls {
  constructor(readonly calls: GatewayCalls) {}

  listInstances(region: string): Promise<Instance[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
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
        toPortholeError(error, this.calls.context({ region, action: 'list instances', operation: 'GetInstances' })),
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
    const out = await this.calls.call(
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
    const out = await this.calls.call(
      { region, action: `read the state of instance "${name}"`, operation: 'GetInstanceState', idempotent: true, resources: [name] },
      (c) => c.send(new GetInstanceStateCommand({ instanceName: name })),
    );
    return out.state?.name ?? 'pending';
  }

  createInstances(request: CreateInstancesRequest): Promise<Operation[]> {
    const { region, instanceNames } = request;
    return this.calls.mutate(
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
    const from = 'backup' in request ? `the ${request.backup.date} backup of "${request.backup.instanceName}"` : `snapshot "${request.snapshotName}"`;
    const source =
      'backup' in request
        ? { sourceInstanceName: request.backup.instanceName, restoreDate: request.backup.date }
        : { instanceSnapshotName: request.snapshotName };
    return this.calls.mutate(
      {
        region,
        action: `create instance ${quoteList(instanceNames)} from ${from}`,
        operation: 'CreateInstancesFromSnapshot',
        idempotent: false,
        creates: instanceNames,
        resources: ['backup' in request ? request.backup.instanceName : request.snapshotName],
        recover: (error) => this.#recoverCreatedInstances(error, request, 'CreateInstancesFromSnapshot'),
      },
      (c) =>
        c.send(
          new CreateInstancesFromSnapshotCommand({
            instanceNames,
            ...source,
            availabilityZone: request.availabilityZone ?? `${region}a`,
            bundleId: request.bundleId,
            userData: request.userData,
            tags: tagsToSdk(portholeTags(request.workspace, request.tags)),
          }),
        ),
    );
  }

  startInstance(region: string, name: string): Promise<Operation[]> {
    return this.calls.mutate(
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
    return this.calls.mutate(
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
    return this.calls.mutate(
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
    return this.calls.mutate(
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
          return instance.state === 'shutting-down' ? this.calls.latestOperations(region, name, 'DeleteInstance') : undefined;
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
    const timeoutMs = options.timeoutMs ?? this.calls.timing.timeoutMs;
    const pollMs = options.pollIntervalMs ?? this.calls.timing.pollIntervalMs;
    const started = this.calls.clock.now();
    let last: Instance | undefined;
    for (;;) {
      const instance = await this.findInstance(region, name);
      if (instance?.state === state) return instance;
      if (instance === undefined && this.calls.clock.now() - started > this.calls.timing.visibilityGraceMs) {
        throw new PortholeError('not-found', `Instance "${name}" in ${region} disappeared while waiting for it to be ${state}.`, {
          fix: 'It may have been deleted outside Porthole; refresh to see what is left.',
        });
      }
      last = instance ?? last;
      if (this.calls.clock.now() - started >= timeoutMs) {
        throw new PortholeError(
          'timeout',
          `Instance "${name}" in ${region} did not become ${state} within ${Math.round(timeoutMs / 1000)} s (it is ${last?.state ?? 'not visible yet'}).`,
          { fix: 'It may still get there; refresh in a few minutes, or force-stop it if it is stuck stopping.' },
        );
      }
      await this.calls.clock.sleep(pollMs);
    }
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
      operations.push(...(await this.calls.latestOperations(request.region, name, operationType)));
    }
    return operations;
  }

  /** A state change whose answer was lost: the instance is already on its way. */
  #recoverState(region: string, name: string, states: InstanceStateName[], operationType: string) {
    return async (error: unknown): Promise<Operation[] | undefined> => {
      if (!isKind(error, 'wrong-state')) return undefined;
      const state = await this.getInstanceState(region, name);
      return states.includes(state) ? this.calls.latestOperations(region, name, operationType) : undefined;
    };
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

function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
