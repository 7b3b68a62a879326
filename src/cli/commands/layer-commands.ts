import type { Command } from 'commander';
import { Option } from 'commander';
import type { CatalogEntry } from '../../core/provision/layer.js';
import { composable, loadLayerCatalog, projectLayersDir, sourceLabel, userLayersDir } from '../../core/provision/layer-catalog.js';
import { composeLayers } from '../../core/provision/layer-composition.js';
import { buildLaunchScript, ROOT_LAYER } from '../../core/provision/launch-script.js';
import { USER_DATA_LIMIT_BYTES } from '../../core/provision/user-data-packing.js';
import { printJson, type CliIo } from '../cli-io.js';
import { parseLayerList, parseMinutes } from '../option-parsers.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { table } from '../format.js';

/**
 * Stands in for the workspace's real password hash in printed scripts: a
 * well-formed argon2id string whose digest no password produces, so a
 * printed script can be read, checked and shared without a secret in it.
 */
export const PLACEHOLDER_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$cGxhY2Vob2xkZXI$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

interface FolderOptions {
  project?: string;
}

/** Layers on the command line: what is there, where it comes from, and the launch script a set of them makes. */
export function registerLayerCommands(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  const project = () => new Option('--project <dir>', 'the project whose .porthole/ layers to include').default(process.cwd(), 'the current folder');

  program
    .command('layers')
    .description('list the layers: built-in, yours (in the settings folder) and the project\'s, with where each comes from')
    .addOption(project())
    .action(async (options: FolderOptions) => {
      const { json, dataDir } = resolveGlobals(globals());
      const projectDir = options.project ?? process.cwd();
      const catalog = await loadLayerCatalog({ dataDir, projectDir });
      const entries = [...catalog.values()];
      if (json) {
        printJson(io, {
          folders: { user: userLayersDir(dataDir), project: projectLayersDir(projectDir) },
          layers: entries.map((entry) => ({
            name: entry.layer.name,
            description: entry.layer.description,
            extends: entry.layer.extends ?? [],
            source: entry.source.kind,
            ...(entry.source.file ? { file: entry.source.file } : {}),
            overrides: entry.overrides.map((source) => ({ source: source.kind, ...(source.file ? { file: source.file } : {}) })),
          })),
        });
        return;
      }
      io.stdout.write(`${table(['NAME', 'SOURCE', 'EXTENDS', 'DESCRIPTION'], entries.map(row))}\n`);
      io.stdout.write(`\nYour layers: ${userLayersDir(dataDir)}/*.json; this project's: ${projectLayersDir(projectDir)}/*.json. A later source replaces a layer of the same name.\n`);
    });

  program
    .command('script')
    .description('print the launch script a set of layers makes (with a placeholder password hash)')
    .requiredOption('--layers <names>', 'layers, comma-separated, e.g. developer,devops (base is always included)', parseLayerList)
    .addOption(new Option('--access <mode>', 'how code-server is reached').choices(['tunnel', 'direct']).default('tunnel'))
    .option('--idle-timeout <minutes>', 'idle stop in minutes (default: the layers\' suggestion, else 60)', parseMinutes)
    .addOption(project())
    .action(async (options: FolderOptions & { layers: string[]; access: 'tunnel' | 'direct'; idleTimeout?: number }) => {
      const { json, dataDir } = resolveGlobals(globals());
      const catalog = await loadLayerCatalog({ dataDir, projectDir: options.project ?? process.cwd() });
      const environment = composeLayers(options.layers, composable(catalog), '--layers', [ROOT_LAYER]);
      const idleTimeoutMinutes = options.idleTimeout ?? environment.idleTimeoutMinutes ?? 60;
      const built = buildLaunchScript({ passwordHash: PLACEHOLDER_PASSWORD_HASH, accessMode: options.access, idleTimeoutMinutes, layers: environment });
      if (json) {
        printJson(io, {
          layers: environment.layers,
          accessMode: options.access,
          idleTimeoutMinutes,
          steps: built.steps.map((step) => ({ name: step.name, ...(step.digest ? { digest: step.digest } : {}) })),
          scriptBytes: Buffer.byteLength(built.script),
          userDataBytes: Buffer.byteLength(built.userData),
          userDataLimitBytes: USER_DATA_LIMIT_BYTES,
          compressed: built.compressed,
          script: built.script,
          userData: built.userData,
        });
        return;
      }
      io.stdout.write(built.script);
      io.stderr.write(
        `${environment.layers.join(' -> ')}: ${built.steps.length} steps, ${Buffer.byteLength(built.script)} bytes` +
          `${built.compressed ? `, ${Buffer.byteLength(built.userData)} bytes compressed as user data` : ''} (limit ${USER_DATA_LIMIT_BYTES}).\n`,
      );
    });
}

function resolveGlobals(options: GlobalOptions): { json: boolean; dataDir: string } {
  return { json: options.json === true, dataDir: options.dataDir ?? defaultDataDir() };
}

function row(entry: CatalogEntry): string[] {
  const from = entry.source.kind === 'built-in' ? 'built-in' : `${entry.source.kind} ${sourceLabel(entry.layer.name, entry.source)}`;
  const overrides = entry.overrides.length > 0 ? ` (replaces ${entry.overrides.map((source) => source.kind).join(', ')})` : '';
  return [entry.layer.name, `${from}${overrides}`, (entry.layer.extends ?? []).join(',') || '-', entry.layer.description];
}



