import { workspaceAws } from './workspace-aws.js';
import type { OperationKind, OperationProgress, Workspace } from '../../shared/workspace.js';
import type { Bundle } from '../cloud/model.js';
import { LAUNCH_TAG } from '../cloud/porthole-tags.js';
import { PortholeError } from '../errors.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import { InstanceStatusTracker, type RunningInstance } from './instance-status-tracker.js';
import type { OperationData } from './operation-runner.js';
import { workspaceCost } from './workspace-cost.js';
import type { WorkspaceEventStream } from './workspace-events.js';
import { instanceNameOf, type WorkspaceRef } from './workspace-ref.js';
import { staticIpNameFor, type WorkspaceResources } from './workspace-resources.js';
import { deriveWorkspaceState } from './workspace-state.js';

export const workspaceKey = (region: string, name: string) => `${region}/${name}`;

export interface ActiveOperation {
  kind: OperationKind;
  progress?: OperationProgress;
  failure?: string;
}

/**
 * What the engine last learned of each workspace — its cloud resources, its
 * settings record, the operation under way, whether the keychain holds its
 * password — and the one `Workspace` the user sees, derived from them. A
 * derived workspace that differs from the last one is an event.
 */
export class WorkspaceView {
  readonly resources = new Map<string, WorkspaceResources>();
  readonly operations = new Map<string, ActiveOperation>();
  records: WorkspaceRecord[] = [];
  withPassword = new Set<string>();
  readonly status: InstanceStatusTracker | undefined;
  readonly #deps: EngineDependencies;
  readonly #events: WorkspaceEventStream;
  readonly #shown = new Map<string, Workspace>();
  readonly #bundles = new Map<string, Promise<Bundle[]>>();

  constructor(deps: EngineDependencies, events: WorkspaceEventStream) {
    this.#deps = deps;
    this.#events = events;
    this.status = deps.instanceStatus
      ? new InstanceStatusTracker(deps.instanceStatus, () => deps.clock.now(), (k) => {
          // A read that lands between refreshes updates the one workspace it is about.
          const ref = this.#shown.get(k);
          if (ref) this.publish(ref, 'cloud');
        })
      : undefined;
  }

  get account(): string {
    return this.#deps.account;
  }

  /** The workspaces as last seen, sorted by name. */
  list(): Workspace[] {
    return [...this.#shown.values()].sort((a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region));
  }

  /** One workspace by name; the region is needed only when the name is used in several. */
  get(name: string, region?: string): Workspace {
    const matches = this.list().filter((w) => w.name === name && (region === undefined || w.region === region));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      throw new PortholeError('usage', `There is no workspace "${name}"${region ? ` in ${region}` : ''} in account ${this.account}.`, {
        fix: 'Run "porthole ls" to see the workspaces, or "porthole create NAME" to make one.',
      });
    }
    throw new PortholeError('usage', `Workspace name "${name}" is used in ${matches.map((w) => w.region).join(' and ')}.`, {
      fix: 'Add --region to say which one.',
    });
  }

  /** The workspace as last shown, or undefined once it is gone. */
  shown(ref: WorkspaceRef): Workspace | undefined {
    return this.#shown.get(workspaceKey(ref.region, ref.name));
  }

  regions(): string[] {
    const regions = new Set([this.#deps.defaultRegion, ...this.#deps.regions, ...this.records.map((r) => r.region)]);
    return [...regions].sort();
  }

  /** The instance a workspace's record names (its own name for older records); undefined without a record. */
  recordedInstanceName(region: string, name: string): string | undefined {
    const record = this.records.find((r) => r.region === region && r.name === name);
    return record ? instanceNameOf(record) : undefined;
  }

  recordFor(ref: WorkspaceRef, data: OperationData): WorkspaceRecord {
    const existing = this.records.find((r) => r.region === ref.region && r.name === ref.name);
    if (existing) return existing;
    // A workspace found in the cloud alone (made on another computer): its tags and snapshot say what it is.
    const resources = this.resources.get(workspaceKey(ref.region, ref.name));
    const snapshot = resources?.snapshots[0];
    return {
      account: this.account,
      region: ref.region,
      name: ref.name,
      bundleId: resources?.instance?.bundleId ?? snapshot?.fromBundleId ?? data.bundleId ?? 'small_3_0',
      blueprintId: resources?.instance?.blueprintId ?? snapshot?.fromBlueprintId ?? data.blueprintId ?? 'ubuntu_24_04',
      ...(resources?.instance?.availabilityZone ? { availabilityZone: resources.instance.availabilityZone } : {}),
      accessMode: 'tunnel',
      idleTimeoutMinutes: 60,
      staticIpName: staticIpNameFor(ref.name),
      ...(resources?.instance && resources.instance.name !== ref.name ? { instanceName: resources.instance.name } : {}),
      keepsStaticIp: true,
      layers: [],
      createdAt: (resources?.instance?.createdAt ?? new Date(this.#deps.clock.now())).toISOString(),
    };
  }

  /** What a deleted workspace last was, for the caller of the delete: no longer in the view. */
  gone(record: WorkspaceRecord): Workspace {
    return { ...this.#compose(record, []), state: 'deleting' };
  }

  async rebuild(cause: 'user' | 'cloud'): Promise<void> {
    const names = new Map<string, WorkspaceRef>();
    for (const r of this.records) names.set(workspaceKey(r.region, r.name), r);
    for (const [k, r] of this.resources) names.set(k, { account: this.account, region: r.region, name: r.name });
    for (const k of this.operations.keys()) {
      if (!names.has(k)) {
        const [region, name] = k.split('/') as [string, string];
        names.set(k, { account: this.account, region, name });
      }
    }
    await Promise.all([...new Set([...names.values()].map((r) => r.region))].map((region) => this.#bundlesOf(region).catch(() => [])));
    const seen = new Set<string>();
    for (const [k, ref] of names) {
      seen.add(k);
      await this.#publishResolved(ref, cause);
    }
    for (const [k, workspace] of this.#shown) {
      if (!seen.has(k)) {
        this.#shown.delete(k);
        this.#events.emit({ type: 'workspace-removed', workspace });
      }
    }
  }

  /** Running instances no operation is busy with: the ones whose own status is worth reading. */
  runningInstances(): RunningInstance[] {
    const running: RunningInstance[] = [];
    for (const [k, resources] of this.resources) {
      const instance = resources.instance;
      if (instance?.state !== 'running' || this.operations.has(k)) continue;
      const record = this.records.find((r) => r.region === resources.region && r.name === resources.name);
      const launchId = instance.tags[LAUNCH_TAG];
      running.push({
        key: k,
        ref: { region: resources.region, name: resources.name, ...(instance.name !== resources.name ? { instanceName: instance.name } : {}), ...(launchId ? { launchId } : {}) },
        instanceId: instance.arn,
        launchedAt: instance.createdAt?.getTime(),
        watchIdle: (record?.idleTimeoutMinutes ?? 0) > 0,
      });
    }
    return running;
  }

  publish(ref: WorkspaceRef, cause: 'user' | 'cloud'): void {
    void this.#publishResolved(ref, cause);
  }

  async #publishResolved(ref: WorkspaceRef, cause: 'user' | 'cloud'): Promise<void> {
    const k = workspaceKey(ref.region, ref.name);
    const bundles = await this.#bundlesOf(ref.region).catch(() => [] as Bundle[]);
    const next = this.#compose(ref, bundles);
    const previous = this.#shown.get(k);
    this.#shown.set(k, next);
    if (!previous || JSON.stringify(previous) !== JSON.stringify(next)) {
      this.#events.emit({ type: 'workspace-changed', workspace: next, ...(previous ? { previous } : {}), cause });
    }
    if (next.idleStopAt && !previous?.idleStopAt) this.#events.emit({ type: 'idle-warning', name: next.name, region: next.region, stopsAt: next.idleStopAt, account: this.account });
  }

  #compose(ref: WorkspaceRef, bundles: Bundle[]): Workspace {
    const k = workspaceKey(ref.region, ref.name);
    const resources = this.resources.get(k) ?? { name: ref.name, region: ref.region, snapshots: [] };
    const record = this.recordFor(ref, {});
    const operation = this.operations.get(k);
    const provisioning = resources.instance?.state === 'running' ? this.status?.provisioning(k, resources.instance.createdAt?.getTime()) : undefined;
    const derived = deriveWorkspaceState(
      { ...(resources.instance ? { instance: { state: resources.instance.state } } : {}), snapshots: resources.snapshots },
      operation ? { kind: operation.kind, ...(operation.failure ? { failure: operation.failure } : {}) } : undefined,
      provisioning,
    );
    const idleStopAt = derived.state === 'ready' ? this.status?.idleStopAt(k) : undefined;
    const ports = derived.state === 'ready' ? this.status?.ports(k) : undefined;
    const bundle = bundles.find((b) => b.id === record.bundleId);
    const snapshot = resources.snapshots[0];
    return {
      name: ref.name,
      account: this.account,
      region: ref.region,
      ...(record.instanceName !== undefined && record.instanceName !== ref.name ? { instanceName: record.instanceName } : {}),
      state: derived.state,
      ...(derived.reason ? { reason: derived.reason } : {}),
      bundleId: record.bundleId,
      blueprintId: record.blueprintId,
      accessMode: record.accessMode,
      ...(resources.instance?.publicIp ? { publicIp: resources.instance.publicIp } : resources.staticIp ? { publicIp: resources.staticIp.ipAddress } : {}),
      ...(resources.staticIp ? { staticIpName: resources.staticIp.name } : {}),
      ...(snapshot ? { snapshotName: snapshot.name } : {}),
      createdAt: record.createdAt,
      idleTimeoutMinutes: record.idleTimeoutMinutes,
      ...(operation?.progress ? { operation: operation.progress } : {}),
      ...(derived.state === 'provisioning' && provisioning?.step ? { provisioning: { index: provisioning.step.index, total: provisioning.step.total, step: provisioning.step.name } } : {}),
      ...(derived.state === 'error' && provisioning?.failure && provisioning.step ? { failedStep: { index: provisioning.step.index, total: provisioning.step.total, step: provisioning.step.name } } : {}),
      ...(idleStopAt ? { idleStopAt: idleStopAt.toISOString() } : {}),
      ...(ports ? { ports } : {}),
      ...(record.declaredPorts?.length ? { declaredPorts: record.declaredPorts } : {}),
      ...(resources.instance?.autoSnapshotTimeOfDay !== undefined ? { backups: { timeOfDay: resources.instance.autoSnapshotTimeOfDay } } : {}),
      ...(record.awsConfig ? { aws: workspaceAws(record.awsConfig.profiles.map((profile) => profile.name), derived.state === 'ready' ? this.status?.awsSignIn(k) : undefined, this.#deps.clock.now()) } : {}),
      cost: workspaceCost({
        state: derived.state,
        bundleMonthlyUsd: bundle?.priceMonthlyUsd ?? 0,
        diskSizeGb: snapshot?.sizeInGb ?? bundle?.diskSizeInGb ?? 0,
        keepsStaticIp: record.keepsStaticIp,
        backups: resources.instance?.autoSnapshotTimeOfDay !== undefined,
      }),
      hasPassword: this.withPassword.has(k),
    };
  }

  #bundlesOf(region: string): Promise<Bundle[]> {
    let bundles = this.#bundles.get(region);
    if (!bundles) {
      bundles = this.#deps.gateway.getBundles(region);
      bundles.catch(() => this.#bundles.delete(region));
      this.#bundles.set(region, bundles);
    }
    return bundles;
  }
}
