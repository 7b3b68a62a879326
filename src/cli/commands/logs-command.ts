import type { Command } from 'commander';
import { Option } from 'commander';
import { boxTarget } from '../../core/access/box-target.js';
import { awsEndpointResolver, sandboxEndpointResolver } from '../../core/access/ssh-endpoint-resolver.js';
import { formatLogLine, mergeByTime } from '../../core/logs/log-lines.js';
import { DEFAULT_LINES, parseLineCount, parseLogSources } from '../../core/logs/log-sources.js';
import { streamLogs } from '../../core/logs/log-stream.js';
import { parseDuration } from '../../core/logs/log-time.js';
import type { LogLine } from '../../shared/workspace-log.js';
import type { CliIo } from '../cli-io.js';
import { withContext, type CliContext, type GlobalOptions } from '../context.js';
import { interrupted } from '../interrupted.js';

interface LogsOptions {
  region?: string;
  source?: string;
  follow?: boolean;
  since?: string;
  lines: string;
}

/** `porthole logs NAME`: the box's logs over SSH, each line with the log it came from. */
export function registerLogsCommand(program: Command, io: CliIo): void {
  program
    .command('logs <name>')
    .description("print a workspace's logs (provisioning, code-server, idle agent, system) over SSH with a fresh certificate")
    .option('--source <sources>', 'provision, code-server, idle or system, comma-separated (default: all)')
    .option('-f, --follow', 'keep printing lines as they are written, until Ctrl-C')
    .option('--since <duration>', 'only lines written in the last 10m, 2h, 1d…')
    .option('-n, --lines <count>', 'the last this many lines of each log, or "all" (ignored with --since)', String(DEFAULT_LINES))
    .addOption(new Option('--region <region>', 'the region, when the name is used in several'))
    .action((name: string, options: LogsOptions) => withContext(program.opts<GlobalOptions>(), io, (ctx) => printLogs(ctx, io, name, options)));
}

async function printLogs(ctx: CliContext, io: CliIo, name: string, options: LogsOptions): Promise<void> {
  const sources = parseLogSources(options.source);
  const lines = parseLineCount(options.lines);
  const since = options.since !== undefined ? new Date(Date.now() - parseDuration(options.since)) : undefined;
  const target = boxTarget(ctx.engine.get(name, options.region), 'reading its logs');
  const resolver = ctx.sandboxEndpoint !== undefined ? sandboxEndpointResolver(ctx.sandboxEndpoint, 'ssh') : awsEndpointResolver;
  const print = (batch: LogLine[]) => io.stdout.write(batch.map((line) => `${ctx.json ? JSON.stringify(line) : formatLogLine(line)}\n`).join(''));
  // Without --follow several logs are read whole and told as one, oldest first.
  const merging = !options.follow && sources.length > 1;
  const collected = new Map(sources.map((source) => [source, [] as LogLine[]]));
  const stream = await streamLogs({ gateway: ctx.gateway, resolver, firewall: ctx.firewall }, target, { sources, follow: options.follow === true, lines, ...(since ? { since } : {}) }, (batch) =>
    merging ? collected.get(batch[0]!.source)!.push(...batch) : print(batch),
  );
  if (options.follow) {
    const stop = interrupted().then(() => stream.stop());
    await Promise.race([stream.done, stop]);
    return;
  }
  await stream.done;
  if (merging) print(mergeByTime([...collected.values()]));
}
