import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import type { WorkspaceBackups } from '../../shared/workspace.js';
import { printJson, type CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';
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
    .description("make a new workspace from a day's backup of NAME; NAME itself is left as it is")
    .requiredOption('--date <YYYY-MM-DD>', 'the day of the backup ("porthole backups NAME" lists them)')
    .requiredOption('--as <new-name>', 'the name of the new workspace')
    .option('--bundle <bundle>', "instance size (default: NAME's; its disk must hold the backup)")
    .option('--region <region>', 'the region, when the name is used in several')
    .action((name: string, options: { date: string; as: string; bundle?: string; region?: string }) =>
      withContext(globals(), io, async (ctx) => {
        const workspace = await withProgress(ctx, io, `restore ${name} ${options.date} as ${options.as}`, (onProgress) =>
          ctx.engine.restore(name, options.date, { as: options.as, ...(options.bundle ? { bundleId: options.bundle } : {}), ...(options.region ? { region: options.region } : {}) }, onProgress),
        );
        if (ctx.json) return printJson(io, workspace);
        io.stdout.write(`Workspace "${options.as}" is ${workspace.state}, made from the ${options.date} backup of "${name}", with a password of its own ("porthole password ${options.as}").\n`);
      }),
    );
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
      `Together: at most ${usd(b.monthlyUsd)}/month. Hibernating or deleting "${b.name}" deletes its backups with its instance. Restore one with "porthole restore ${b.name} --date DATE --as NEW".`,
    );
  } else if (!b.note) {
    lines.push('There are no backups yet.');
  }
  return lines.join('\n');
}

function usage(message: string): PortholeError {
  return new PortholeError('usage', message);
}
