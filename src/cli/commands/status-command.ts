import type { Command } from 'commander';
import { Option } from 'commander';
import { probeWorkspace, unprobed } from '../../core/workspaces/workspace-probe.js';
import { printJson, type CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';
import { workspaceStatusDetails } from '../format.js';

/**
 * `porthole status NAME`: what the dashboard shows of one workspace. Its
 * instance is asked about itself with one ssh run (provisioning step, failed
 * step and why, idle stop time) unless --no-probe; a workspace that is not
 * running is not asked. When the read fails, the rest is still printed and
 * the command exits 1.
 */
export function registerStatusCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('status <name>')
    .description("show a workspace's state, address and costs, and what its instance says about itself (provisioning, idle stop)")
    .option('--no-probe', 'do not ask the instance (no ssh run): only what Lightsail and Porthole know')
    .addOption(new Option('--region <region>', 'the region, when the name is used in several'))
    .action((name: string, options: { region?: string; probe: boolean }) =>
      withContext(program.opts<GlobalOptions>(), io, async (ctx) => {
        const workspace = ctx.engine.get(name, options.region);
        const status = options.probe ? await probeWorkspace(workspace, ctx.instanceStatus) : unprobed(workspace);
        if (ctx.json) printJson(io, ctx.firewallFollowed.length > 0 ? { ...status, firewallFollowed: ctx.firewallFollowed.map(({ type: _type, ...moved }) => moved) } : status);
        else io.stdout.write(`${workspaceStatusDetails(status)}\n`);
        if (status.instance.outcome === 'failed') {
          if (!ctx.json) io.stderr.write(`porthole: the instance of "${name}" could not be asked about itself; the rest above is what Lightsail and Porthole know. "porthole status ${name} --no-probe" skips the ssh run.\n`);
          setExitCode(1);
        }
      }),
    );
}
