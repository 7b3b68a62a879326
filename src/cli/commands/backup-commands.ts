import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import type { WorkspaceBackups } from '../../shared/workspace.js';
import { printJson, type CliIo } from '../cli-io.js';
import { confirmDestructive } from '../confirm.js';
import { withContext, type CliContext, type GlobalOptions } from '../context.js';
import { table, usd } from '../format.js';
import { withProgress } from './workspace-commands.js';

/** Backups on the command line: Lightsail's daily automatic snapshots of a workspace, and restoring one. */
export function registerBackupCommands(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();

  program
    .command('backups <name>')
    .description("list a workspace's daily backups with their cost, or turn them on or off")
    .option('--enable', 'take a backup every day (Lightsail keeps the seven newest)')
    .option('--at <HH:00>', 'with --enable: the UTC hour to take it (default: Lightsail picks one)')
    .option('--disable', 'stop taking backups (those already taken stay until the instance is deleted)')
    .option('--region <region>', 'the region, when the name is used in several')
    .action((name: string, options: { enable?: boolean; disable?: boolean; at?: string; region?: string }) =>
      withContext(globals(), io, async (ctx) => {
        if (options.enable && options.disable) throw usage('Give --enable or --disable, not both.');
        if (options.at !== undefined && !options.enable) throw usage('--at goes with --enable: "porthole backups NAME --enable --at 03:00".');
        if (options.enable || options.disable) {
          await ctx.engine.setBackups(name, { enabled: options.enable === true, ...(options.at ? { timeOfDay: options.at } : {}) }, options.region);
        }
        const backups = await ctx.engine.backups(name, options.region);
        if (ctx.json) return printJson(io, backups);
        io.stdout.write(`${backupsReport(backups)}\n`);
      }),
    );

  program
    .command('restore <name>')
    .description("put NAME back to a day's backup on a fresh instance, keeping its name, static IP and password; with --as, make a new workspace from it instead")
    .requiredOption('--date <YYYY-MM-DD>', 'the day of the backup ("porthole backups NAME" lists them)')
    .option('--as <new-name>', 'make a new workspace of this name from the backup, leaving NAME as it is')
    .option('--bundle <bundle>', "with --as: instance size (default: NAME's; its disk must hold the backup)")
    .option('-y, --yes', 'do not ask before replacing the instance (its other backups are deleted with it)')
    .option('--region <region>', 'the region, when the name is used in several')
    .action((name: string, options: RestoreOptions) =>
      withContext(globals(), io, async (ctx) => {
        if (options.as === undefined) return restoreInPlace(ctx, io, name, options);
        const as = options.as;
        const workspace = await withProgress(ctx, io, `restore ${name} ${options.date} as ${as}`, (onProgress) =>
          ctx.engine.restore(name, options.date, { as, ...(options.bundle ? { bundleId: options.bundle } : {}), ...(options.region ? { region: options.region } : {}) }, onProgress),
        );
        if (ctx.json) return printJson(io, workspace);
        io.stdout.write(`Workspace "${as}" is ${workspace.state}, made from the ${options.date} backup of "${name}", with a password of its own ("porthole password ${as}").\n`);
      }),
    );
}

interface RestoreOptions {
  date: string;
  as?: string;
  bundle?: string;
  yes?: boolean;
  region?: string;
}

/**
 * The workspace itself back to a day's backup. Asked first, because the old
 * instance goes and Lightsail deletes its automatic snapshots with it; a day
 * with no finished backup is refused by the restore itself, before anything
 * is asked or made.
 */
async function restoreInPlace(ctx: CliContext, io: CliIo, name: string, options: RestoreOptions): Promise<void> {
  if (options.bundle !== undefined) throw usage('--bundle goes with --as: a restore in place keeps the workspace\'s size.');
  const before = ctx.engine.get(name, options.region);
  const backups = await ctx.engine.backups(name, before.region);
  if (backups.backups.some((b) => b.date === options.date && b.status === 'ready')) {
    await confirmDestructive(io, `Restore "${name}" to its ${options.date} backup in place? ${backups.inPlaceWarning ?? ''}`, options.yes === true);
  }
  const workspace = await withProgress(ctx, io, `restore ${name} ${options.date} in place`, (onProgress) =>
    ctx.engine.restore(name, options.date, options.region ? { region: options.region } : {}, onProgress),
  );
  if (ctx.json) return printJson(io, workspace);
  const address = workspace.staticIpName
    ? `its static IP ${workspace.publicIp ?? workspace.staticIpName} and its password stay`
    : `its password stays; it had no static IP, so its address changed to ${workspace.publicIp ?? 'a new one'}`;
  io.stdout.write(`Workspace "${name}" is ${workspace.state}, back to its ${options.date} backup on a new instance (${workspace.instanceName ?? name}); ${address}.\n`);
}

export function backupsReport(b: WorkspaceBackups): string {
  const head = b.enabled
    ? `Daily backups of "${b.name}" are on, taken at ${b.timeOfDay ?? 'an hour Lightsail picks'} UTC; Lightsail keeps the ${b.kept} newest.`
    : `Daily backups of "${b.name}" are off${b.backups.length > 0 ? '; the ones below stay until the instance is deleted' : ''}. Turn them on with "porthole backups ${b.name} --enable".`;
  const lines = [head];
  if (b.note) lines.push(b.note);
  if (b.backups.length > 0) {
    lines.push(
      table(
        ['DATE', 'STATUS', 'TAKEN', 'PER MONTH (AT MOST)'],
        b.backups.map((x) => [x.date, x.status, x.createdAt ?? '-', usd(x.monthlyUsd)]),
      ),
      `Together: at most ${usd(b.monthlyUsd)}/month. Hibernating or deleting "${b.name}" deletes its backups with its instance. Restore one in place with "porthole restore ${b.name} --date DATE", or into a new workspace with --as NEW.`,
    );
  } else if (!b.note) {
    lines.push('There are no backups yet.');
  }
  return lines.join('\n');
}

function usage(message: string): PortholeError {
  return new PortholeError('usage', message);
}
