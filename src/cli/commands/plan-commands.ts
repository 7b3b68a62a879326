import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isPortholeError, PortholeError } from '../../core/errors.js';
import { composable, loadLayerCatalog, projectWithLayers } from '../../core/provision/layer-catalog.js';
import { composeLayers } from '../../core/provision/layer-composition.js';
import { LayerProblemsError, type LayerProblem } from '../../core/provision/layer-problems.js';
import { ROOT_LAYER } from '../../core/provision/launch-script.js';
import { parseWorkspaceFile, WORKSPACE_FILE_NAME, WorkspaceFileError, type WorkspaceFile } from '../../core/provision/workspace-file.js';
import { formatPlan, planWorkspaces, resolveDesired, type ActualWorkspace, type Plan, type PlanEntry } from '../../core/provision/workspace-file-plan.js';
import { DEFAULT_BUNDLE } from '../../core/workspaces/create-input.js';
import type { CliIo } from '../cli-io.js';
import { confirmDestructive } from '../confirm.js';
import { withContext, type CliContext, type GlobalOptions } from '../context.js';
import { withProgress } from './workspace-commands.js';

/** `porthole plan --detailed-exitcode` exits with this when apply would change something (2 already means "fix your call"). */
export const CHANGES_PENDING_EXIT_CODE = 3;

interface FileOption {
  file: string;
}

/**
 * porthole.json on the command line: `plan` shows what apply would do,
 * `apply` does it through the engine (so every step is journaled and a
 * crash is carried on from). Only the workspaces the file names are touched.
 */
export function registerPlanCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const globals = () => program.opts<GlobalOptions>();

  program
    .command('plan')
    .description(`show what "porthole apply" would change to match ${WORKSPACE_FILE_NAME} (+ create, ~ change, ! replace required, . not in file)`)
    .option('-f, --file <path>', 'the workspace file', WORKSPACE_FILE_NAME)
    .option('--detailed-exitcode', `exit ${CHANGES_PENDING_EXIT_CODE} when there are changes, 0 when there are none`)
    .action((options: FileOption & { detailedExitcode?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        const plan = await planFromFile(ctx, options.file);
        if (ctx.json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
        else io.stdout.write(`${formatPlan(plan)}\n`);
        if (options.detailedExitcode && plan.changes + plan.replaceRequired > 0) setExitCode(CHANGES_PENDING_EXIT_CODE);
      }),
    );

  program
    .command('apply')
    .description(`create, start, stop, hibernate or resume workspaces until they match ${WORKSPACE_FILE_NAME}`)
    .option('-f, --file <path>', 'the workspace file', WORKSPACE_FILE_NAME)
    .option('-y, --yes', 'do not ask before changing anything')
    .action((options: FileOption & { yes?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        const plan = await planFromFile(ctx, options.file);
        if (!ctx.json) io.stderr.write(`${formatPlan(plan)}\n`);
        const changes = plan.entries.filter((e): e is Extract<PlanEntry, { action: 'change' }> => e.action === 'change');
        if (changes.length > 0) {
          await confirmDestructive(io, `Apply ${changes.length} change${changes.length === 1 ? '' : 's'} (hibernate deletes instances, keeping their disks as snapshots)?`, options.yes === true);
        }
        const failed: Array<{ name: string; message: string }> = [];
        // Layers a project keeps beside its workspace file, in .porthole/, count for its workspaces.
        const projectDir = await projectWithLayers(dirname(resolve(options.file)));
        for (const change of changes) {
          try {
            await applyChange(ctx, io, change, projectDir);
          } catch (error) {
            if (!isPortholeError(error)) throw error;
            failed.push({ name: change.name, message: error.message });
            io.stderr.write(`porthole: ${change.name}: ${error.message}\n`);
          }
        }
        const done = changes.length - failed.length;
        if (ctx.json) io.stdout.write(`${JSON.stringify({ applied: done, failed, replaceRequired: plan.replaceRequired, blocked: plan.blocked }, null, 2)}\n`);
        else io.stdout.write(`Apply complete: ${done} changed${failed.length > 0 ? `, ${failed.length} failed` : ''}${plan.replaceRequired > 0 ? `, ${plan.replaceRequired} need replacing (see above)` : ''}.\n`);
        if (failed.length > 0) {
          throw new PortholeError('service', `${failed.length} of ${changes.length} changes failed: ${failed.map((f) => f.name).join(', ')}.`, {
            fix: 'Run "porthole apply" again: operations cut short carry on, and finished ones are not repeated.',
          });
        }
      }),
    );
}

async function applyChange(ctx: CliContext, io: CliIo, change: Extract<PlanEntry, { action: 'change' }>, projectDir: string | undefined): Promise<void> {
  const { desired } = change;
  const where = { region: desired.region };
  for (const operation of change.operations) {
    await withProgress(ctx, io, `${operation} ${change.name}`, (onProgress) => {
      switch (operation) {
        case 'create':
          return ctx.engine.create(
            {
              name: desired.name,
              region: desired.region,
              bundleId: desired.bundle,
              layers: desired.layers,
              accessMode: desired.access,
              ...(desired.idleTimeoutMinutes !== undefined ? { idleTimeoutMinutes: desired.idleTimeoutMinutes } : {}),
              ...(desired.image !== undefined ? { image: desired.image } : {}),
              ...(desired.ports.length > 0 ? { ports: desired.ports } : {}),
              ...(projectDir ? { projectDir } : {}),
            },
            onProgress,
          );
        case 'ports':
          return ctx.engine.declarePorts(change.name, desired.ports, desired.region);
        case 'start':
          return ctx.engine.start(change.name, where, onProgress);
        case 'stop':
          return ctx.engine.stop(change.name, where, onProgress);
        case 'hibernate':
          return ctx.engine.hibernate(change.name, where, onProgress);
        case 'resume':
          return ctx.engine.resume(change.name, where, onProgress);
      }
    });
  }
}

/** Reads and checks the file completely (shape, layers, images) before comparing it with the account. */
async function planFromFile(ctx: CliContext, path: string): Promise<Plan> {
  const file = resolve(path);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new PortholeError('usage', `Cannot read the workspace file ${file} (${error.code ?? error.message}).`, {
      fix: `Create ${WORKSPACE_FILE_NAME} (schema: schema/porthole.schema.json) or point at one with -f PATH.`,
    });
  });
  const parsed = parseWorkspaceFile(text, file);
  const layerPorts = await checkReferences(ctx, parsed, file);
  const desired = parsed.workspaces.map((w, index) => resolveDesired(w, { region: ctx.settings.get().defaultRegion, bundle: DEFAULT_BUNDLE }, layerPorts[index]));
  // With the default region filled in, two entries may turn out to be one workspace.
  const first = new Map<string, number>();
  const repeated: LayerProblem[] = [];
  desired.forEach((d, index) => {
    const earlier = first.get(`${d.region}/${d.name}`);
    if (earlier !== undefined) repeated.push({ file, path: `$.workspaces[${index}].name`, message: `"${d.name}" in ${d.region} is already declared at $.workspaces[${earlier}].`, fix: 'Keep one entry per workspace.' });
    else first.set(`${d.region}/${d.name}`, index);
  });
  if (repeated.length > 0) throw new WorkspaceFileError(repeated);
  const records = ctx.settings.get().workspaces.filter((r) => r.account === ctx.engine.account);
  const actual: ActualWorkspace[] = ctx.engine.list().map((w) => {
    const record = records.find((r) => r.name === w.name && r.region === w.region);
    return {
      name: w.name,
      region: w.region,
      state: w.state,
      bundleId: w.bundleId,
      accessMode: w.accessMode,
      ...(w.idleTimeoutMinutes !== undefined ? { idleTimeoutMinutes: w.idleTimeoutMinutes } : {}),
      ...(record ? { layers: record.layers } : {}),
      ...(record?.image ? { image: record.image } : {}),
      ...(record ? { declaredPorts: record.declaredPorts ?? [] } : {}),
    };
  });
  return planWorkspaces(desired, actual);
}

/** Layers and images the file names must exist, so apply cannot stop halfway on a typo; gives the ports each entry's layers declare. */
async function checkReferences(ctx: CliContext, parsed: WorkspaceFile, file: string): Promise<number[][]> {
  const problems: LayerProblem[] = [];
  const layerPorts: number[][] = [];
  const catalog = composable(await loadLayerCatalog({ dataDir: ctx.dataDir, projectDir: dirname(file) }));
  const images = parsed.workspaces.some((w) => w.image !== undefined) ? await ctx.engine.listImages() : [];
  const regions = (await ctx.gateway.getRegions()).map((r) => r.name);
  const defaultRegion = ctx.settings.get().defaultRegion;
  const bundles = new Map<string, string[]>();
  for (const region of new Set(parsed.workspaces.map((w) => w.region ?? defaultRegion))) {
    if (regions.includes(region)) bundles.set(region, (await ctx.gateway.getBundles(region)).filter((b) => b.isActive).map((b) => b.id));
  }
  parsed.workspaces.forEach((workspace, index) => {
    const path = `$.workspaces[${index}]`;
    const region = workspace.region ?? defaultRegion;
    const offered = bundles.get(region);
    if (!offered) {
      problems.push({ file, path: `${path}.region`, message: `Region "${region}" has no Lightsail.`, fix: `Use one of ${regions.join(', ')}.` });
    } else if (workspace.bundle !== undefined && !offered.includes(workspace.bundle)) {
      problems.push({ file, path: `${path}.bundle`, message: `Bundle "${workspace.bundle}" is not offered in ${region}.`, fix: `Use one of ${offered.join(', ')}.` });
    }
    try {
      layerPorts.push(composeLayers(workspace.layers ?? [], catalog, `${file} ${path}.layers`, [ROOT_LAYER]).ports);
    } catch (error) {
      layerPorts.push([]);
      if (!(error instanceof LayerProblemsError)) throw error;
      problems.push(...error.problems);
    }
    if (workspace.image !== undefined && !images.some((image) => image.name === workspace.image && image.state === 'available')) {
      problems.push({ file, path: `${path}.image`, message: `There is no available image "${workspace.image}".`, fix: `Use one of ${images.map((i) => `"${i.name}"`).join(', ') || 'none yet'}; "porthole bake WORKSPACE --as IMAGE" makes one.` });
    }
  });
  if (problems.length > 0) throw new WorkspaceFileError(problems);
  return layerPorts;
}
