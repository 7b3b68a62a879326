import type { OperationResult, PortholeHandlers, WorkspaceRef } from '../../shared/contract.js';
import type { Catalog, CreateWorkspaceRequest, FieldProblem, ImageOption } from '../../shared/create-catalog.js';
import type { OperationKind, Workspace } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { loadLayerCatalog } from '../provision/layer-catalog.js';
import { DEFAULT_IDLE_TIMEOUT_MINUTES } from '../workspaces/create-input.js';
import { validateIdleTimeoutMinutes, validateRegion, validateWorkspaceName } from '../workspaces/workspace-name.js';
import { boxAwsConfigFromProfiles, type BoxAwsConfig } from '../provision/box-aws-config.js';
import { desktopAwsProfiles } from './account-directory.js';
import { awsProfileOptions } from './aws-profile-options.js';
import { FieldError, toContractError } from './contract-error.js';
import type { DashboardContext } from './dashboard-context.js';

const OPERATION_VERBS: Readonly<Record<OperationKind, readonly [string, string]>> = {
  create: ['Creating', 'created'],
  start: ['Starting', 'started'],
  stop: ['Stopping', 'stopped'],
  reboot: ['Rebooting', 'rebooted'],
  hibernate: ['Hibernating', 'hibernated'],
  resume: ['Resuming', 'resumed'],
  delete: ['Deleting', 'deleted'],
  bake: ['Baking', 'baked'],
  restore: ['Restoring', 'restored'],
};

/** The contract calls that act on workspaces, each a line in the log when it begins and ends and a notice when it ends. */
export type WorkspaceHandlers = Pick<
  PortholeHandlers,
  | 'createWorkspace'
  | 'startWorkspace'
  | 'stopWorkspace'
  | 'rebootWorkspace'
  | 'hibernateWorkspace'
  | 'resumeWorkspace'
  | 'deleteWorkspace'
  | 'bakeWorkspace'
  | 'getBackups'
  | 'setBackups'
  | 'restoreBackup'
  | 'validateName'
  | 'getCatalog'
  | 'copyPassword'
  | 'openWorkspace'
  | 'openInBrowser'
>;

/**
 * The workspace calls, each on the engine of the workspace's account: the
 * active one's, or with `ref.account` any enabled account's, without switching.
 */
export function workspaceHandlers(context: DashboardContext): WorkspaceHandlers {
  const engine = (ref: WorkspaceRef) => context.session(ref.account).engine;
  const operate = (kind: OperationKind, ref: WorkspaceRef, run: () => Promise<Workspace>) => runOperation(context, kind, ref, run);
  const openInBrowser = async (ref: WorkspaceRef) => {
    if (ref.account) await context.accountsOpen();
    const session = context.session(ref.account);
    const { workspace, origin } = await session.openInBrowser(ref, context.options.openExternal);
    context.events.log('info', `Opened ${context.events.label(workspace.name, session.name)} in the browser at ${origin}.`, workspace);
    return { opened: 'browser' as const };
  };
  return {
    createWorkspace: (request) => create(context, request),
    startWorkspace: (ref) => operate('start', ref, () => engine(ref).start(ref.name, regionOf(ref))),
    stopWorkspace: (ref) => operate('stop', ref, () => engine(ref).stop(ref.name, regionOf(ref))),
    rebootWorkspace: (ref) => operate('reboot', ref, () => engine(ref).reboot(ref.name, regionOf(ref))),
    hibernateWorkspace: (ref) =>
      operate('hibernate', ref, () => engine(ref).hibernate(ref.name, { ...regionOf(ref), ...(ref.releaseIp !== undefined ? { releaseIp: ref.releaseIp } : {}) })),
    resumeWorkspace: (ref) => operate('resume', ref, () => engine(ref).resume(ref.name, regionOf(ref))),
    deleteWorkspace: (ref) =>
      operate('delete', ref, () => engine(ref).delete(ref.name, { ...regionOf(ref), ...(ref.keepSnapshots !== undefined ? { keepSnapshots: ref.keepSnapshots } : {}) })),
    bakeWorkspace: async ({ image, ...ref }) => {
      const baking = engine(ref);
      let baked: ImageOption | undefined;
      await operate('bake', ref, async () => {
        const made = await baking.bake(ref.name, image, regionOf(ref));
        baked = { name: made.name, layers: made.layers, region: made.region };
        return baking.get(ref.name, made.region);
      });
      return { image: baked! };
    },
    getBackups: (ref) => engine(ref).backups(ref.name, ref.region),
    setBackups: ({ enabled, timeOfDay, ...ref }) => engine(ref).setBackups(ref.name, { enabled, ...(timeOfDay ? { timeOfDay } : {}) }, ref.region),
    restoreBackup: ({ date, as, ...ref }) =>
      as === undefined
        ? operate('restore', ref, () => engine(ref).restore(ref.name, date, regionOf(ref)))
        : operate('create', { name: as, ...regionOf(ref), ...(ref.account ? { account: ref.account } : {}) }, () => engine(ref).restore(ref.name, date, { as, ...regionOf(ref) })),
    validateName: async ({ name, region }) => nameProblem(context, name, region),
    getCatalog: ({ region }) => catalog(context, region),
    copyPassword: async (ref) => {
      if (ref.account) await context.accountsOpen();
      const session = context.session(ref.account);
      const password = await session.engine.password(ref.name, ref.region);
      await context.options.copyToClipboard(password);
      context.events.log('info', `Copied the password of ${context.events.label(ref.name, session.name)} to the clipboard.`, ref);
      return { copied: true };
    },
    openWorkspace: async (ref) => {
      if (ref.account) await context.accountsOpen();
      const workspace = engine(ref).get(ref.name, ref.region);
      if (context.options.openEditorWindow) {
        await context.options.openEditorWindow(workspace);
        return { opened: 'window' };
      }
      return openInBrowser(ref);
    },
    openInBrowser,
  };
}

/** Runs one lifecycle operation, with a line in the log when it begins and ends and a notice when it fails. */
async function runOperation(context: DashboardContext, kind: OperationKind, ref: WorkspaceRef, run: () => Promise<Workspace>): Promise<OperationResult> {
  const { events } = context;
  const [doing, done] = OPERATION_VERBS[kind];
  if (ref.account) await context.accountsOpen();
  const account = context.session(ref.account).name;
  const name = events.label(ref.name, account);
  const other = account !== context.activeSession()?.name ? { account } : {};
  events.log('info', `${doing} ${name}…`, ref, kind);
  return events.whileBusy({ name: ref.name, account }, async () => {
    try {
      const workspace = await run();
      const outcome = kind === 'delete' || workspace.state === done ? '' : `; it is ${workspace.state}`;
      events.log('success', `${name} ${done}${outcome}.`, workspace, kind);
      events.hub.emit('notice', { level: 'success', title: `${name} ${done}`, message: `${ref.name} is ${kind === 'delete' ? 'gone' : workspace.state}.`, workspace: ref.name, ...(ref.region ? { region: ref.region } : {}), ...other });
      return { workspace };
    } catch (error) {
      const problem = toContractError(error instanceof FieldError ? error.problem : error);
      events.log('error', `${doing} ${name} failed: ${problem.message}`, ref, kind);
      events.hub.emit('notice', { level: 'error', title: `${doing} ${name} failed`, message: problem.fix ? `${problem.message} ${problem.fix}` : problem.message, workspace: ref.name, ...other });
      throw error;
    }
  });
}

function nameProblem(context: DashboardContext, name: string, region?: string): FieldProblem | null {
  const problem = validateWorkspaceName(name);
  if (problem) return { field: 'name', ...split(problem) };
  const inRegion = region ?? context.options.settings.get().defaultRegion;
  if (context.session().engine.list().some((w) => w.name === name && w.region === inRegion)) {
    return { field: 'name', message: `A workspace named "${name}" already exists in ${inRegion}.`, fix: 'Choose another name.' };
  }
  return null;
}

async function create(context: DashboardContext, request: CreateWorkspaceRequest): Promise<OperationResult> {
  const problem = nameProblem(context, request.name, request.region);
  if (problem) throw new FieldError('name', new PortholeError('usage', problem.message, problem.fix ? { fix: problem.fix } : {}));
  if (request.region !== undefined) fieldCheck('region', validateRegion(request.region));
  if (request.idleTimeoutMinutes !== undefined) fieldCheck('idleTimeoutMinutes', validateIdleTimeoutMinutes(request.idleTimeoutMinutes));
  const engine = context.session().engine;
  if (request.image) {
    const region = request.region ?? context.options.settings.get().defaultRegion;
    const images = (await engine.listImages()).filter((image) => image.region === region);
    if (!images.some((image) => image.name === request.image)) {
      throw new FieldError(
        'image',
        new PortholeError('usage', `There is no image "${request.image}" in ${region}.`, {
          fix: images.length > 0 ? `Choose one of: ${images.map((i) => i.name).join(', ')}, or none.` : 'Choose none, or bake one from a ready workspace with "porthole bake".',
        }),
      );
    }
  }
  if (request.layers && request.layers.length > 0) {
    const catalog = await loadLayerCatalog({ dataDir: context.options.dataDir });
    const unknown = request.layers.filter((layer) => !catalog.has(layer));
    if (unknown.length > 0) {
      throw new FieldError('layers', new PortholeError('usage', `Unknown layer${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, { fix: `Choose from: ${[...catalog.keys()].join(', ')}.` }));
    }
  }
  const awsConfig = request.awsProfiles && request.awsProfiles.length > 0 ? await boxAwsConfigOf(context, request.awsProfiles) : undefined;
  return runOperation(context, 'create', request, () =>
    engine.create({
      name: request.name,
      ...(request.region ? { region: request.region } : {}),
      ...(request.bundleId ? { bundleId: request.bundleId } : {}),
      ...(request.blueprintId ? { blueprintId: request.blueprintId } : {}),
      ...(request.accessMode ? { accessMode: request.accessMode } : {}),
      ...(request.idleTimeoutMinutes !== undefined ? { idleTimeoutMinutes: request.idleTimeoutMinutes } : {}),
      ...(request.layers ? { layers: request.layers } : {}),
      ...(request.image ? { image: request.image } : {}),
      ...(request.backups ? { backups: {} } : {}),
      ...(awsConfig ? { awsConfig } : {}),
    }),
  );
}

/** The picked profiles as the workspace's AWS configuration, built as `create --aws-profile` builds it; a bad pick is the field's problem. */
async function boxAwsConfigOf(context: DashboardContext, names: string[]): Promise<BoxAwsConfig> {
  try {
    return boxAwsConfigFromProfiles(names, await desktopAwsProfiles(context.options));
  } catch (error) {
    throw new FieldError('awsProfiles', error);
  }
}

async function catalog(context: DashboardContext, regionAsked?: string): Promise<Catalog> {
  const { gateway, engine } = context.session().opened;
  const settings = context.options.settings.get();
  const region = regionAsked ?? settings.defaultRegion;
  const [regions, bundles, blueprints, layers, images, profiles] = await Promise.all([
    gateway.getRegions(),
    gateway.getBundles(region),
    gateway.getBlueprints(region),
    loadLayerCatalog({ dataDir: context.options.dataDir }),
    engine.listImages(),
    desktopAwsProfiles(context.options),
  ]);
  return {
    region,
    regions: regions.map((r) => ({ name: r.name, displayName: r.displayName })),
    bundles: bundles
      .filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX'))
      .sort((a, b) => a.priceMonthlyUsd - b.priceMonthlyUsd)
      .map((b) => ({ id: b.id, name: b.name, priceMonthlyUsd: b.priceMonthlyUsd, cpuCount: b.cpuCount, ramSizeInGb: b.ramSizeInGb, diskSizeInGb: b.diskSizeInGb })),
    blueprints: blueprints.filter((b) => b.isActive && b.type === 'os' && b.platform === 'LINUX_UNIX').map((b) => ({ id: b.id, name: b.name })),
    layers: [...layers.values()].map((entry) => ({
      name: entry.layer.name,
      description: entry.layer.description,
      extends: entry.layer.extends ?? [],
      source: entry.source.kind,
    })),
    images: images.filter((i) => i.region === region && i.state === 'available').map((i) => ({ name: i.name, layers: i.layers, region: i.region })),
    awsProfiles: awsProfileOptions(profiles),
    defaults: {
      bundleId: settings.defaultBundleId,
      blueprintId: settings.defaultBlueprintId,
      layers: ['base'],
      accessMode: 'tunnel',
      idleTimeoutMinutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
    },
  };
}

function regionOf(ref: WorkspaceRef): { region?: string } {
  return ref.region ? { region: ref.region } : {};
}

function split(problem: PortholeError): { message: string; fix?: string } {
  const { message, fix } = toContractError(problem);
  return fix ? { message, fix } : { message };
}

export function fieldCheck(field: string, problem: PortholeError | undefined): void {
  if (problem) throw new FieldError(field, problem);
}
