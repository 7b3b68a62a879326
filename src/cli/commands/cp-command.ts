import type { Command } from 'commander';
import { Option } from 'commander';
import { boxTarget } from '../../core/access/box-target.js';
import { chooseCopyTool, copyDirection, copyFiles, parseCopyPlace } from '../../core/access/file-copy.js';
import { awsEndpointResolver, sandboxEndpointResolver } from '../../core/access/ssh-endpoint-resolver.js';
import type { CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';

/** `porthole cp demo:~/project ./backup`, `porthole cp ./data demo:~/data`: files and folders both ways over SSH. */
export function registerCpCommand(program: Command, io: CliIo): void {
  program
    .command('cp <from> <to>')
    .description('copy files or folders between this computer and a workspace (NAME:PATH) over SSH with a fresh certificate')
    .addOption(new Option('--tool <tool>', 'copy with rsync or scp (default: rsync where installed; or PORTHOLE_COPY_TOOL)').choices(['rsync', 'scp']))
    .addOption(new Option('--region <region>', 'the region, when the name is used in several'))
    .action((from: string, to: string, options: { tool?: string; region?: string }) =>
      withContext(program.opts<GlobalOptions>(), io, async (ctx) => {
        const { local, remote, upload } = copyDirection(parseCopyPlace(from), parseCopyPlace(to));
        const target = boxTarget(ctx.engine.get(remote.workspace, options.region), 'copying files');
        const tool = await chooseCopyTool(options.tool);
        const resolver = ctx.sandboxEndpoint !== undefined ? sandboxEndpointResolver(ctx.sandboxEndpoint, 'ssh') : awsEndpointResolver;
        const showProgress = !ctx.json && io.stdout.isTTY === true;
        const summary = await copyFiles({ gateway: ctx.gateway, resolver, firewall: ctx.firewall }, { target, local, remote: remote.path, upload, tool, showProgress });
        if (ctx.json) return void io.stdout.write(`${JSON.stringify({ from, to, ...summary, copiedTo: upload ? `${remote.workspace}:${summary.copiedTo}` : summary.copiedTo })}\n`);
        const where = upload ? `${remote.workspace}:${summary.copiedTo}` : summary.copiedTo;
        io.stdout.write(`Copied ${summary.files} file${summary.files === 1 ? '' : 's'} (${formatBytes(summary.bytes)}) to ${where} in ${summary.seconds.toFixed(1)} s with ${summary.tool}.\n`);
      }),
    );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
