import type { OperationKind, OperationProgress, Workspace, WorkspaceBackups } from '../../shared/workspace.js';
import { CHANGING_STATES } from '../../shared/workspace.js';
import { PortholeError, isPortholeError } from '../errors.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import type { JournalEntry } from './operation-journal.js';
import { runSteps, type OperationData, type OperationStep } from './operation-runner.js';
import { WorkspaceEventStream } from './workspace-events.js';
import { imageTags, validateImageName, type BakedStepReport, type Image } from './images.js';
import { bakeSteps } from './images-steps.js';
import { availableImage, imageStepsReport, listImages, noImage } from './image-catalog.js';
import {
  composeWorkspaceLayers,
  createSteps,
  deleteSteps,
  hibernateSteps,
  rebootSteps,
  resumeSteps,
  startSteps,
  stopSteps,
} from './workspace-operations.js';
import { validateCreateInput, type CreateWorkspaceInput } from './create-input.js';
import { validateBackupDate } from './backup-rules.js';
import { checkRestorable, readBackups, setBackups, type BackupSetting } from './workspace-backups.js';
import { canRollBack, planRestore, restoreInPlaceSteps, restorePlanOf, restoreRollBackSteps, restoreRollsBackOn } from './restore-in-place.js';
import { ensureValid, validateDeclaredPorts } from './workspace-name.js';
import { groupByWorkspace } from './workspace-resources.js';
import { WorkspaceView, workspaceKey as key } from './workspace-view.js';
import { isProcessRunning } from '../fs/process-running.js';
import type { WorkspaceRef } from './workspace-ref.js';

export type ProgressListener = (progress: OperationProgress) => void;

/** Errors that retrying cannot fix: a create that meets one is rolled back instead of resumed. */
const DEFINITIVE_ERRORS = new Set(['usage', 'invalid-input', 'bundle-not-allowed', 'name-taken', 'region-not-enabled', 'access-denied']);

/**
 * Keeps each workspace's parts together — instance, static IP, snapshots,
 * keychain password, settings record — through every lifecycle operation,
 * and derives the one state the user sees from them. Every change is an
 * event on `events`.
 */
export class WorkspaceEngine {
  readonly events = new WorkspaceEventStream();
  readonly #deps: EngineDependencies;
  readonly #view: WorkspaceView;
  #loaded = false;

  constructor(deps: EngineDependencies) {
    this.#deps = deps;
    this.#view = new WorkspaceView(deps, this.events);
  }

  get account(): string {
    return this.#deps.account;
  }

  /** The workspaces as last seen, sorted by name. */
  list(): Workspace[] {
    return this.#view.list();
  }

  /** Someone watches the workspaces (the dashboard, a window): ready ones are read every few seconds, for their ports, until released. */
  watchInstances(): () => void {
    return this.#view.status?.watch() ?? (() => {});
  }

  /** Whether any workspace is between states, so the poller should look again soon. */
  isChanging(): boolean {
    return this.list().some((w) => CHANGING_STATES.has(w.state));
  }

  /** Lists every region the account uses and rebuilds the view from the cloud, the records and the journal. */
  async refresh(): Promise<Workspace[]> {
    const { gateway, records, passwords, journal, account } = this.#deps;
    const view = this.#view;
    view.records = await records.list(account);
    const regions = view.regions();
    const [listings, withPassword, unfinished] = await Promise.all([
      Promise.all(
        regions.map(async (region) => {
          const [instances, staticIps, snapshots] = await Promise.all([
            gateway.listInstances(region),
            gateway.listStaticIps(region),
            gateway.listSnapshots(region),
          ]);
          return groupByWorkspace(region, instances, staticIps, snapshots, (name) => view.recordedInstanceName(region, name));
        }),
      ),
      passwords.list(account),
      Promise.resolve(journal.unfinished().filter((e) => e.workspace.account === account)),
    ]);
    view.resources.clear();
    for (const grouped of listings) for (const [, r] of grouped) view.resources.set(key(r.region, r.name), r);
    view.withPassword = new Set(withPassword.map((ref) => key(ref.region, ref.name)));
    // An operation that another Porthole process ran, and has finished, is over here too.
    const journaled = new Set(unfinished.map((entry) => key(entry.workspace.region, entry.workspace.name)));
    for (const k of view.operations.keys()) if (!journaled.has(k)) view.operations.delete(k);
    for (const entry of unfinished) {
      const k = key(entry.workspace.region, entry.workspace.name);
      if (!view.operations.has(k) || entry.failure) {
        view.operations.set(k, { kind: entry.kind, ...(entry.failure ? { failure: entry.failure } : {}) });
      }
    }
    await view.status?.sync(view.runningInstances());
    await view.rebuild('cloud');
    this.#loaded = true;
    return this.list();
  }

  /** One workspace by name; the region is needed only when the name is used in several. */
  get(name: string, region?: string): Workspace {
    return this.#view.get(name, region);
  }

  async create(input: CreateWorkspaceInput, onProgress?: ProgressListener): Promise<Workspace> {
    await this.#ensureLoaded();
    const region = input.region ?? this.#deps.defaultRegion;
    // Images and layers are checked before any change: a bad name makes nothing.
    if (input.image !== undefined) validateImageName(input.image);
    const image = input.image !== undefined ? await availableImage(this.#deps, input.image, region) : input.fromBackup ? await this.#backupDisk(input.fromBackup.workspace, region) : undefined;
    const layers = input.layers ?? image?.layers.filter((name) => name !== 'base') ?? [];
    const environment = await composeWorkspaceLayers(this.#deps, layers, input.projectDir);
    // The file's ports after the layers'; one it lists twice stays twice, for the check to name.
    const ports = [...environment.ports, ...(input.ports ?? []).filter((port) => !environment.ports.includes(port))];
    const record = await validateCreateInput(
      { ...input, layers, ports },
      {
        account: this.account,
        defaultRegion: this.#deps.defaultRegion,
        gateway: this.#deps.gateway,
        existing: this.list(),
        now: new Date(this.#deps.clock.now()),
        ...(environment.idleTimeoutMinutes !== undefined ? { suggestedIdleTimeoutMinutes: environment.idleTimeoutMinutes } : {}),
        ...(image ? { image } : {}),
      },
    );
    // The image is journaled too, so deleting it is refused while this create may still need it.
    const data: OperationData = { ownerPid: String(process.pid), ...(record.image ? { image: record.image } : {}) };
    return this.#operate('create', record, data, createSteps(this.#deps, record), onProgress);
  }

  start(name: string, options: { region?: string } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    return this.#simple('start', name, options.region, ['stopped', 'stopping', 'error'], startSteps, onProgress);
  }

  stop(name: string, options: { region?: string } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    return this.#simple('stop', name, options.region, ['ready', 'provisioning', 'starting', 'error'], stopSteps, onProgress);
  }

  reboot(name: string, options: { region?: string } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    return this.#simple('reboot', name, options.region, ['ready', 'provisioning', 'error'], rebootSteps, onProgress);
  }

  hibernate(name: string, options: { region?: string; releaseIp?: boolean } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    const releaseIp = options.releaseIp ?? false;
    return this.#simple(
      'hibernate',
      name,
      options.region,
      ['ready', 'provisioning', 'stopped', 'stopping', 'error'],
      (deps, record) => hibernateSteps(deps, record, releaseIp),
      onProgress,
      { releaseIp: String(releaseIp) },
    );
  }

  resume(name: string, options: { region?: string } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    return this.#simple('resume', name, options.region, ['hibernated', 'error'], resumeSteps, onProgress);
  }

  delete(name: string, options: { region?: string; keepSnapshots?: boolean } = {}, onProgress?: ProgressListener): Promise<Workspace> {
    const keepSnapshots = options.keepSnapshots ?? false;
    const anyState: Workspace['state'][] = ['creating', 'provisioning', 'ready', 'starting', 'stopping', 'stopped', 'hibernating', 'hibernated', 'resuming', 'restoring', 'deleting', 'error'];
    return this.#simple('delete', name, options.region, anyState, (deps, record) => deleteSteps(deps, record, keepSnapshots), onProgress, { keepSnapshots: String(keepSnapshots) });
  }

  /** Baked images in every region the account uses, by name. */
  async listImages(): Promise<Image[]> {
    await this.#ensureLoaded();
    return listImages(this.#deps, this.#view.regions());
  }

  /**
   * Snapshots a ready workspace as image `image`, tagged with the digests of
   * its layers. Journaled like every operation, so a bake cut short carries
   * on with the same snapshot.
   */
  async bake(name: string, image: string, options: { region?: string } = {}, onProgress?: ProgressListener): Promise<Image> {
    validateImageName(image);
    await this.#ensureLoaded();
    const workspace = this.get(name, options.region);
    const existing = (await this.listImages()).find((i) => i.name === image && i.region === workspace.region);
    if (existing && existing.fromWorkspace !== name) {
      throw new PortholeError('name-taken', `Image "${image}" already exists in ${workspace.region} (baked from "${existing.fromWorkspace ?? 'another workspace'}").`, {
        fix: `Choose another name, or delete it first: "porthole images delete ${image}".`,
      });
    }
    const record = this.#view.recordFor(workspace, {});
    const environment = await composeWorkspaceLayers(this.#deps, record.layers, record.projectDir);
    const tags = imageTags(image, environment);
    await this.#simple('bake', name, options.region, ['ready'], (deps, r) => bakeSteps(deps, r, image, tags), onProgress, { image, tags: JSON.stringify(tags) });
    const baked = (await this.listImages()).find((i) => i.name === image && i.region === workspace.region);
    if (!baked) throw new PortholeError('internal', `Image "${image}" was baked but Lightsail does not list it.`, { fix: 'Run "porthole images" again in a moment.' });
    return baked;
  }

  /** Deletes a baked image; refused while a workspace is being created from it. */
  async deleteImage(image: string, options: { region?: string } = {}): Promise<void> {
    const found = (await this.listImages()).filter((i) => i.name === image && (options.region === undefined || i.region === options.region));
    if (found.length === 0) throw noImage(this.account, image, options.region);
    if (found.length > 1) throw new PortholeError('usage', `Image "${image}" exists in ${found.map((i) => i.region).join(' and ')}.`, { fix: 'Add --region to say which one.' });
    const target = found[0]!;
    const user = this.#unfinished().find((entry) => entry.kind === 'create' && entry.workspace.region === target.region && entry.data.image === image);
    if (user) {
      throw new PortholeError('wrong-state', `Image "${image}" is in use: workspace "${user.workspace.name}" is being created from it.`, {
        fix: `Wait until "${user.workspace.name}" is ready ("porthole status ${user.workspace.name}"), then delete the image.`,
      });
    }
    await this.#deps.gateway.waitForOperations(await this.#deps.gateway.deleteSnapshot(target.region, image), this.#deps.waitTimeoutMs === undefined ? {} : { timeoutMs: this.#deps.waitTimeoutMs });
  }

  /** Which launch-script steps a workspace made from `image` with these layers skips, and which it runs. */
  imageSteps(image: string, layers: readonly string[] | undefined, region?: string): Promise<BakedStepReport> {
    return imageStepsReport(this.#deps, image, layers, region ?? this.#deps.defaultRegion);
  }

  /** The workspace's daily backups (Lightsail's automatic snapshots of its instance), newest first, with their cost. */
  async backups(name: string, region?: string): Promise<WorkspaceBackups> {
    const record = this.#view.recordFor(this.get(name, region), {});
    return readBackups(this.#deps, record, (await this.#backupDisk(record.name, record.region)).sizeInGb);
  }

  /** Turns daily backups on (at a UTC hour) or off, now and for every later instance of the workspace. */
  async setBackups(name: string, setting: BackupSetting, region?: string): Promise<WorkspaceBackups> {
    const workspace = this.get(name, region);
    if (CHANGING_STATES.has(workspace.state) && workspace.state !== 'provisioning') {
      throw new PortholeError('wrong-state', `Workspace "${name}" is ${workspace.state}.`, { fix: hintFor('start', workspace.state, name) });
    }
    await setBackups(this.#deps, this.#view.recordFor(workspace, {}), setting);
    await this.refresh();
    return this.backups(name, workspace.region);
  }

  /** Sets the ports forwarded whenever they listen (porthole.json's and its layers'): a setting of this computer, so no instance changes. */
  async declarePorts(name: string, ports: readonly number[], region?: string): Promise<Workspace> {
    ensureValid(validateDeclaredPorts(ports));
    const record: WorkspaceRecord = { ...this.#view.recordFor(this.get(name, region), {}) };
    delete record.declaredPorts;
    await this.#deps.records.put(ports.length > 0 ? { ...record, declaredPorts: [...ports] } : record);
    await this.refresh();
    return this.get(name, record.region);
  }

  /** With `as`, a new workspace from the backup of `date` (size, layers and settings copied, a password of its own); without, the workspace itself back to that day, keeping name, static IP and password (restore-in-place.ts). */
  async restore(name: string, date: string, options: { as?: string; bundleId?: string; region?: string }, onProgress?: ProgressListener): Promise<Workspace> {
    ensureValid(validateBackupDate(date));
    await this.#ensureLoaded();
    const source = this.#view.recordFor(this.get(name, options.region), {});
    await checkRestorable(this.#deps, source, date);
    if (options.as === undefined) {
      const plan = planRestore(source, date);
      return this.#simple('restore', name, source.region, ['ready', 'provisioning', 'stopped', 'error'], (deps, record) => restoreInPlaceSteps(deps, record, plan), onProgress, { ...plan });
    }
    const { region, bundleId, blueprintId, accessMode, idleTimeoutMinutes, layers, projectDir, declaredPorts } = source;
    const input = { name: options.as, region, bundleId: options.bundleId ?? bundleId, blueprintId, accessMode, idleTimeoutMinutes, layers, ...(declaredPorts ? { ports: declaredPorts } : {}) };
    return this.create({ ...input, ...(projectDir ? { projectDir } : {}), fromBackup: { workspace: source.name, ...(source.instanceName ? { instanceName: source.instanceName } : {}), date } }, onProgress);
  }

  /** A backup holds the source instance's disk: a bundle for its restore must be at least that large. */
  async #backupDisk(workspace: string, region: string): Promise<{ name: string; sizeInGb: number; fromBundleId: string; layers: string[] }> {
    const source = this.#view.recordFor(this.get(workspace, region), {});
    const bundle = (await this.#deps.gateway.getBundles(region)).find((b) => b.id === source.bundleId);
    return { name: `backup of ${workspace}`, sizeInGb: bundle?.diskSizeInGb ?? 0, fromBundleId: source.bundleId, layers: source.layers };
  }

  /** The workspace's code-server password, from the keychain. */
  async password(name: string, region?: string): Promise<string> {
    const workspace = this.get(name, region);
    const password = await this.#deps.passwords.get(workspace);
    if (password === undefined) {
      throw new PortholeError('keychain', `The keychain has no password for workspace "${name}"; it was probably created on another computer.`, {
        fix: `Run "porthole password ${name} --reset" to set a new one.`,
      });
    }
    return password;
  }

  /**
   * Carries on every operation a crashed process left unfinished: forward
   * when it can, back when a create met an error retrying cannot fix.
   * Operations whose process is still alive are left to it; `only` picks
   * some of the others (porthole doctor --sweep takes them one by one).
   */
  async recover(onProgress?: ProgressListener, only: (entry: JournalEntry) => boolean = () => true): Promise<{ recovered: string[]; failed: Array<{ name: string; message: string }> }> {
    const recovered: string[] = [];
    const failed: Array<{ name: string; message: string }> = [];
    this.#view.records = await this.#deps.records.list(this.account);
    for (const entry of this.#unfinished()) {
      if (isAlive(entry.data.ownerPid) || !only(entry)) continue;
      if (entry.failure && !canRollBack(entry)) continue;
      try {
        await this.#resumeEntry(entry, onProgress);
        recovered.push(entry.workspace.name);
      } catch (error) {
        failed.push({ name: entry.workspace.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { recovered, failed };
  }

  async #resumeEntry(entry: JournalEntry, onProgress?: ProgressListener): Promise<void> {
    const record = this.#view.recordFor(entry.workspace, entry.data);
    const claimed = { ...entry, data: { ...entry.data, ownerPid: String(process.pid) } };
    const inFlight = claimed.steps.find((step) => !step.doneAt);
    if (inFlight) await this.#deps.journal.beforeStep(entry.id, inFlight.name, claimed.data);
    if (entry.failure && canRollBack(entry)) {
      await this.#rollBack(claimed, record, onProgress);
      return;
    }
    await this.#execute(claimed, record, this.#stepsFor(entry.kind, record, entry.data), onProgress);
  }

  #stepsFor(kind: OperationKind, record: WorkspaceRecord, data: OperationData): OperationStep[] {
    switch (kind) {
      case 'create':
        return createSteps(this.#deps, record);
      case 'start':
        return startSteps(this.#deps, record);
      case 'stop':
        return stopSteps(this.#deps, record);
      case 'reboot':
        return rebootSteps(this.#deps, record);
      case 'delete':
        return deleteSteps(this.#deps, record, data.keepSnapshots === 'true');
      case 'hibernate':
        return hibernateSteps(this.#deps, record, data.releaseIp === 'true');
      case 'resume':
        return resumeSteps(this.#deps, record);
      case 'bake':
        return bakeSteps(this.#deps, record, data.image ?? '', JSON.parse(data.tags ?? '{}') as Record<string, string>);
      case 'restore':
        return restoreInPlaceSteps(this.#deps, record, restorePlanOf(data));
    }
  }

  async #simple(
    kind: OperationKind,
    name: string,
    region: string | undefined,
    allowedFrom: ReadonlyArray<Workspace['state']>,
    steps: (deps: EngineDependencies, record: WorkspaceRecord) => OperationStep[],
    onProgress?: ProgressListener,
    extra: OperationData = {},
  ): Promise<Workspace> {
    await this.#ensureLoaded();
    const workspace = this.get(name, region);
    if (!allowedFrom.includes(workspace.state)) {
      throw new PortholeError('wrong-state', `Workspace "${name}" is ${workspace.state}; it cannot ${kind} from there.`, {
        fix: hintFor(kind, workspace.state, name),
      });
    }
    const record = this.#view.recordFor(workspace, {});
    const data: OperationData = { ...extra, ownerPid: String(process.pid), bundleId: record.bundleId, blueprintId: record.blueprintId };
    return this.#operate(kind, record, data, steps(this.#deps, record), onProgress);
  }

  async #operate(
    kind: OperationKind,
    record: WorkspaceRecord,
    data: OperationData,
    steps: OperationStep[],
    onProgress?: ProgressListener,
  ): Promise<Workspace> {
    await this.#supersedeFailed(record);
    const entry = await this.#deps.journal.begin(kind, record, data);
    await this.#execute(entry, record, steps, onProgress);
    await this.refresh();
    // A deleted workspace is no longer in the view; its last state is what the caller gets back.
    return this.#view.shown(record) ?? this.#view.gone(record);
  }

  async #execute(
    entry: JournalEntry,
    record: WorkspaceRecord,
    steps: OperationStep[],
    onProgress?: ProgressListener,
  ): Promise<void> {
    const k = key(record.region, record.name);
    this.#view.operations.set(k, { kind: entry.kind });
    this.#view.publish(record, 'user');
    try {
      await runSteps(this.#deps.journal, entry, steps, {
        ...(this.#deps.crashHook ? { crashHook: this.#deps.crashHook } : {}),
        onProgress: (progress) => {
          this.#view.operations.set(k, { kind: entry.kind, progress });
          onProgress?.(progress);
          this.events.emit({ type: 'operation-progress', workspace: record.name, region: record.region, account: this.account, progress });
          this.#view.publish(record, 'user');
        },
      });
      this.#view.operations.delete(k);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const definitive = isPortholeError(error) && DEFINITIVE_ERRORS.has(error.kind);
      const journaled = this.#deps.journal.entry(entry.id) ?? entry;
      if (canRollBack(journaled) && (entry.kind === 'restore' ? restoreRollsBackOn(error) : definitive)) {
        await this.#deps.journal.fail(entry.id, message);
        await this.#rollBack(entry, record, onProgress);
        this.#view.operations.delete(k);
      } else if (definitive || !isPortholeError(error)) {
        await this.#deps.journal.fail(entry.id, message);
        this.#view.operations.set(k, { kind: entry.kind, failure: message });
      } else {
        // Transient (network, throttling, a timeout): the journal keeps the operation for the next start to carry on.
        this.#view.operations.delete(k);
      }
      this.#view.publish(record, 'user');
      throw error;
    }
  }

  /**
   * Undoes a create or a restore in place that cannot complete: nothing
   * half-made stays behind, not even a new workspace's password. The undo runs
   * under the operation's own journal entry, marked failed, so a crash during
   * it is undone again on the next start.
   */
  async #rollBack(entry: JournalEntry, record: WorkspaceRecord, onProgress?: ProgressListener): Promise<void> {
    const current = this.#deps.journal.entry(entry.id) ?? entry;
    const steps = entry.kind === 'restore' ? restoreRollBackSteps(this.#deps, record, restorePlanOf(entry.data)) : deleteSteps(this.#deps, record, false);
    await runSteps(this.#deps.journal, current, steps, onProgress ? { onProgress } : {});
  }

  /** A user's new operation replaces the failed one it follows, which stays only as the error it showed; one that undoes itself is undone first. */
  async #supersedeFailed(ref: WorkspaceRef): Promise<void> {
    for (const entry of this.#unfinished()) {
      if (entry.workspace.region !== ref.region || entry.workspace.name !== ref.name) continue;
      if (entry.failure) {
        if (canRollBack(entry)) await this.#rollBack(entry, this.#view.recordFor(entry.workspace, entry.data));
        else await this.#deps.journal.finish(entry.id);
        continue;
      }
      if (isAlive(entry.data.ownerPid) && entry.data.ownerPid !== String(process.pid)) {
        throw new PortholeError('wrong-state', `Workspace "${ref.name}" is busy: another Porthole process is running its ${entry.kind}.`, {
          fix: 'Wait for it to finish, then try again.',
        });
      }
    }
  }

  #unfinished(): JournalEntry[] {
    return this.#deps.journal.unfinished().filter((entry) => entry.workspace.account === this.account);
  }

  async #ensureLoaded(): Promise<void> {
    if (!this.#loaded) await this.refresh();
  }
}

function isAlive(pidText: string | undefined): boolean {
  return isProcessRunning(Number(pidText));
}

function hintFor(kind: OperationKind, state: Workspace['state'], name: string): string {
  if (state === 'hibernated') return `Resume it first: "porthole resume ${name}".`;
  if (kind === 'start' && (state === 'ready' || state === 'provisioning')) return 'It is already running.';
  if (kind === 'stop' && state === 'stopped') return 'It is already stopped.';
  if (kind === 'resume') return 'Only a hibernated workspace can be resumed.';
  return `Wait until it settles ("porthole status ${name}"), then try again.`;
}
