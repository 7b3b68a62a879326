import type { Command } from 'commander';
import { Option } from 'commander';
import { discoverAwsProfiles } from '../../core/credentials/aws-profiles.js';
import { boxAwsConfigFromProfiles } from '../../core/provision/box-aws-config.js';
import { projectWithLayers } from '../../core/provision/layer-catalog.js';
import type { ProgressListener } from '../../core/workspaces/workspace-engine.js';
import type { Workspace } from '../../shared/workspace.js';
import { printJson, type CliIo } from '../cli-io.js';
import { parseLayerList, parseMinutes, parseProfileList } from '../option-parsers.js';
import { confirmDestructive } from '../confirm.js';
import { withContext, type CliContext, type GlobalOptions } from '../context.js';
import { resetPassword } from './access-commands.js';
import { copyToClipboard } from '../clipboard.js';
import { table, usd, workspaceTable } from '../format.js';
import { createProgressView } from '../progress.js';
import { printEveryAccount } from '../every-account.js';
import { watchList } from '../list-watch.js';
import { PortholeError } from '../../core/errors.js';

interface RegionOption {
  region?: string;
}

/** The workspace lifecycle on the command line: one subcommand per action the tray offers, and a few only scripts need. */
export function registerWorkspaceCommands(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  const region = () => new Option('--region <region>', 'the region, when the name is used in several');

  program
    .command('ls')
    .description('list the workspaces of the active account')
    .option('--all-accounts', 'list the workspaces of every enabled account (porthole account enable|disable)')
    .option('--watch', 'show the list again at every change until Ctrl-C (without a terminal: a line per change; with --json: an object per change)')
    .action((options: ListOptions) => listWorkspaces(globals(), io, options));

  program
    .command('create <name>')
    .description('create a workspace: instance, static IP, firewall, password')
    .option('--region <region>', 'Lightsail region (default: the account default)')
    .option('--bundle <bundle>', 'instance size, e.g. small_3_0')
    .option('--blueprint <blueprint>', 'operating system, e.g. ubuntu_24_04')
    .option('--idle-timeout <minutes>', 'stop after this many idle minutes (0: never)', parseMinutes)
    .addOption(new Option('--access <mode>', 'how to reach code-server').choices(['tunnel', 'direct']).default('tunnel'))
    .option('--layers <names>', 'environment layers, comma-separated, e.g. developer,devops (base is always included)', parseLayerList)
    .option('--image <image>', 'start from a baked image ("porthole images"); its unchanged layers are not run again')
    .option('--backups [HH:00]', 'take a backup every day, at this UTC hour if given ("porthole backups NAME" lists them)')
    .option('--aws-profile <names>', 'IAM Identity Center profiles from ~/.aws/config, comma-separated, for the AWS CLI on the workspace (config only; sign in with "porthole aws-login")', parseProfileList)
    .addOption(new Option('--project <dir>', 'the project whose .porthole/ layers --layers may name').default(process.cwd(), 'the current folder'))
    .action((name: string, options: { region?: string; bundle?: string; blueprint?: string; idleTimeout?: number; access: 'tunnel' | 'direct'; layers?: string[]; image?: string; backups?: true | string; awsProfile?: string[]; project: string }) =>
      withContext(globals(), io, async (ctx) => {
        const projectDir = await projectWithLayers(options.project);
        const awsConfig = options.awsProfile ? boxAwsConfigFromProfiles(options.awsProfile, await discoverAwsProfiles()) : undefined;
        if (options.image && !ctx.json) {
          const steps = await ctx.engine.imageSteps(options.image, options.layers, options.region);
          io.stderr.write(`From image "${options.image}": ${steps.skipped.length} steps already baked, skipped; ${steps.run.length} to run (${steps.run.join(', ')}).\n`);
        }
        const workspace = await withProgress(ctx, io, `create ${name}`, (onProgress) =>
          ctx.engine.create(
            {
              name,
              ...(options.region ? { region: options.region } : {}),
              ...(options.bundle ? { bundleId: options.bundle } : {}),
              ...(options.blueprint ? { blueprintId: options.blueprint } : {}),
              ...(options.idleTimeout !== undefined ? { idleTimeoutMinutes: options.idleTimeout } : {}),
              accessMode: options.access,
              ...(options.layers ? { layers: options.layers } : {}),
              ...(options.image ? { image: options.image } : {}),
              ...(options.backups ? { backups: options.backups === true ? {} : { timeOfDay: options.backups } } : {}),
              ...(projectDir ? { projectDir } : {}),
              ...(awsConfig ? { awsConfig } : {}),
            },
            onProgress,
          ),
        );
        report(ctx, io, workspace, `Workspace "${name}" is ${workspace.state} at ${workspace.publicIp ?? 'no address yet'}. Its password is in the keychain: "porthole password ${name}".`);
      }),
    );

  for (const [verb, description] of [
    ['start', 'start a stopped workspace'],
    ['stop', 'stop a workspace (Lightsail still bills a stopped instance; hibernate stops the bill)'],
    ['reboot', 'reboot a running workspace'],
    ['resume', 'bring a hibernated workspace back: same name, static IP and password'],
  ] as const) {
    program
      .command(`${verb} <name>`)
      .description(description)
      .addOption(region())
      .action((name: string, options: RegionOption) =>
        withContext(globals(), io, async (ctx) => {
          const workspace = await withProgress(ctx, io, `${verb} ${name}`, (onProgress) =>
            ctx.engine[verb](name, options.region ? { region: options.region } : {}, onProgress),
          );
          report(ctx, io, workspace, `Workspace "${name}" is ${workspace.state}.`);
        }),
      );
  }

  program
    .command('hibernate <name>')
    .description('snapshot the workspace and delete its instance, so it costs only storage')
    .option('--release-ip', 'also release the static IP (the address changes on resume)')
    .option('-y, --yes', 'do not ask before releasing the static IP')
    .addOption(region())
    .action((name: string, options: RegionOption & { releaseIp?: boolean; yes?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        const before = ctx.engine.get(name, options.region);
        if (!ctx.json) io.stderr.write(`${hibernationCosts(before)}\n`);
        if (options.releaseIp) {
          await confirmDestructive(io, `Release static IP ${before.staticIpName ?? ''} of "${name}"? Its address ${before.publicIp ?? ''} cannot be had back.`, options.yes === true || ctx.json);
        }
        const workspace = await withProgress(ctx, io, `hibernate ${name}`, (onProgress) =>
          ctx.engine.hibernate(name, { ...(options.region ? { region: options.region } : {}), releaseIp: options.releaseIp === true }, onProgress),
        );
        report(ctx, io, workspace, `Workspace "${name}" is ${workspace.state}; it now costs ${usd(workspace.cost.monthlyUsd)}/month. "porthole resume ${name}" brings it back.`);
      }),
    );

  program
    .command('delete <name>')
    .description('delete the workspace: instance, static IP, snapshots, password and record')
    .option('--keep-snapshots', 'keep its hibernation snapshots')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(region())
    .action((name: string, options: RegionOption & { keepSnapshots?: boolean; yes?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        const workspace = ctx.engine.get(name, options.region);
        await confirmDestructive(
          io,
          `Delete workspace "${name}" in ${workspace.region}, with its instance, static IP${options.keepSnapshots ? '' : ', snapshots'}${workspace.backups ? ', daily backups' : ''} and password?`,
          options.yes === true,
        );
        await withProgress(ctx, io, `delete ${name}`, (onProgress) =>
          ctx.engine.delete(name, { ...(options.region ? { region: options.region } : {}), keepSnapshots: options.keepSnapshots === true }, onProgress),
        );
        if (ctx.json) return printJson(io, { deleted: name, region: workspace.region });
        io.stdout.write(`Workspace "${name}" is deleted; nothing of it is left in ${workspace.region}${options.keepSnapshots ? ' but its snapshots' : ''}.\n`);
      }),
    );

  program
    .command('password <name>')
    .description("print a workspace's code-server password, or copy it")
    .option('--copy', 'copy it to the clipboard instead of printing it')
    .option('--reset', 'set a new password on the workspace and in the keychain (for one made on another computer)')
    .addOption(region())
    .action((name: string, options: RegionOption & { copy?: boolean; reset?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        if (options.reset) return resetPassword(ctx, io, name, options.region);
        const password = await ctx.engine.password(name, options.region);
        if (options.copy) {
          await copyToClipboard(password);
          if (ctx.json) return printJson(io, { copied: true });
          io.stderr.write(`The password of "${name}" is on the clipboard.\n`);
          return;
        }
        if (ctx.json) return printJson(io, { password });
        io.stdout.write(`${password}\n`);
      }),
    );

  program
    .command('cost [name]')
    .description('what each workspace costs per month now, stopped and hibernated')
    .addOption(region())
    .action((name: string | undefined, options: RegionOption) =>
      withContext(globals(), io, async (ctx) => {
        const workspaces = name ? [ctx.engine.get(name, options.region)] : ctx.engine.list();
        const total = workspaces.reduce((sum, w) => sum + w.cost.monthlyUsd, 0);
        const savings = workspaces.reduce((sum, w) => sum + (w.state === 'hibernated' ? 0 : w.cost.activeMonthlyUsd - w.cost.hibernatedMonthlyUsd), 0);
        if (ctx.json) return printJson(io, { workspaces: workspaces.map((w) => ({ name: w.name, region: w.region, state: w.state, ...w.cost })), totalMonthlyUsd: round(total), hibernationSavingsMonthlyUsd: round(savings) });
        io.stdout.write(
          `${table(
            ['NAME', 'STATE', 'NOW', 'RUNNING/STOPPED', 'HIBERNATED'],
            workspaces.map((w) => [w.name, w.state, usd(w.cost.monthlyUsd), usd(w.cost.activeMonthlyUsd), usd(w.cost.hibernatedMonthlyUsd)]),
          )}\nTotal now: ${usd(total)}/month. Hibernating the others would save ${usd(savings)}/month (Lightsail bills stopped instances).\n`,
        );
      }),
    );
}

interface ListOptions {
  allAccounts?: boolean;
  watch?: boolean;
}

async function listWorkspaces(globals: GlobalOptions, io: CliIo, options: ListOptions): Promise<void> {
  if (options.allAccounts && options.watch) {
    throw new PortholeError('usage', '--watch follows the active account only, not --all-accounts.', {
      fix: 'Leave out one of them; "porthole account use NAME" chooses the account to watch.',
    });
  }
  if (options.watch) return watchList(globals, io);
  if (options.allAccounts) return printEveryAccount(globals, io);
  await withContext(globals, io, async (ctx) => {
    const workspaces = ctx.engine.list();
    if (ctx.json) return printJson(io, workspaces);
    if (workspaces.length === 0) {
      io.stdout.write(`No workspaces in account ${ctx.engine.account}. Make one with "porthole create NAME", or see every account's with --all-accounts.\n`);
      return;
    }
    io.stdout.write(`${workspaceTable(workspaces)}\n`);
  });
}

function hibernationCosts(w: Workspace): string {
  const backups = w.backups ? ' Its daily backups are deleted with its instance; resuming turns them on again, starting afresh.' : '';
  return `Stopped, "${w.name}" costs ${usd(w.cost.activeMonthlyUsd)}/month; hibernated with its static IP kept, ${usd(w.cost.hibernatedMonthlyUsd)}/month (snapshot storage + the idle static IP); with --release-ip, only the snapshot.${backups}`;
}

export async function withProgress<T>(ctx: CliContext, io: CliIo, label: string, action: (onProgress: ProgressListener) => Promise<T>): Promise<T> {
  const mode = ctx.json ? 'silent' : io.stderr.isTTY ? 'tty' : 'plain';
  const view = createProgressView(label, io.stderr, mode);
  try {
    return await action((progress) => view.update(progress));
  } finally {
    view.done();
  }
}

function report(ctx: CliContext, io: CliIo, workspace: Workspace, sentence: string): void {
  if (ctx.json) printJson(io, workspace);
  else io.stdout.write(`${sentence}\n`);
}




function round(usdAmount: number): number {
  return Math.round(usdAmount * 100) / 100;
}
