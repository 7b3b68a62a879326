import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import { SSH_PORT, parseSshCidr, sshSources } from '../../core/workspaces/firewall-cidr.js';
import { printJson, type CliIo } from '../cli-io.js';
import { withContext, type CliContext, type GlobalOptions } from '../context.js';
import { table } from '../format.js';
import { instanceNameOf } from '../../core/workspaces/workspace-ref.js';

const SOURCE_LABELS = { 'this-computer': 'this computer', added: 'added' } as const;

/**
 * `porthole firewall NAME` lists who may reach the workspace's SSH, the only
 * port it opens: this computer's address (which Porthole moves when it
 * changes) and the ranges the user added. `--allow CIDR | --revoke CIDR`
 * adds or takes one away.
 */
export function registerFirewallCommand(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  program
    .command('firewall <name>')
    .description("list who may reach the workspace's SSH (this computer, ranges you added); let another range in (--allow CIDR), or take one away (--revoke CIDR); 0.0.0.0/0 only with --i-know-this-is-public")
    .option('--allow <cidr>', 'an IPv4 address or range to allow, such as 203.0.113.7/32')
    .option('--revoke <cidr>', 'an address or range to take away')
    .option('--i-know-this-is-public', 'allow the whole internet (0.0.0.0/0)')
    .option('--region <region>', 'the region, when the name is used in several')
    .action((name: string, options: { allow?: string; revoke?: string; iKnowThisIsPublic?: boolean; region?: string }) => {
      if (options.allow !== undefined && options.revoke !== undefined) {
        throw new PortholeError('usage', 'Say what to change with one of --allow CIDR or --revoke CIDR, not both.', { fix: `For example: porthole firewall ${name} --allow 203.0.113.7/32.` });
      }
      if (options.allow === undefined && options.revoke === undefined) return withContext(globals(), io, (ctx) => listSources(ctx, io, name, options.region));
      const allow = options.allow !== undefined;
      const cidr = parseSshCidr((options.allow ?? options.revoke)!, { public: options.iKnowThisIsPublic === true || !allow });
      return withContext(globals(), io, async (ctx) => {
        const workspace = ctx.engine.get(name, options.region);
        const rule = { fromPort: SSH_PORT, toPort: SSH_PORT, protocol: 'tcp' as const, cidrs: [cidr] };
        const instance = instanceNameOf(workspace);
        const operations = allow ? await ctx.gateway.openPublicPorts(workspace.region, instance, rule) : await ctx.gateway.closePublicPorts(workspace.region, instance, rule);
        await ctx.gateway.waitForOperations(operations);
        if (ctx.json) return void io.stdout.write(`${JSON.stringify({ workspace: name, port: SSH_PORT, [allow ? 'allowed' : 'revoked']: cidr })}\n`);
        io.stdout.write(allow ? `SSH of ${name} now also answers ${cidr}.\n` : `SSH of ${name} no longer answers ${cidr}.\n`);
      });
    });
}

async function listSources(ctx: CliContext, io: CliIo, name: string, region: string | undefined): Promise<void> {
  const workspace = ctx.engine.get(name, region);
  const record = ctx.settings.findWorkspace({ account: ctx.engine.account, region: workspace.region, name: workspace.name });
  const sources = sshSources(await ctx.gateway.getPortStates(workspace.region, instanceNameOf(workspace)), record?.callerIp);
  if (ctx.json) return printJson(io, { workspace: workspace.name, region: workspace.region, port: SSH_PORT, ...(record?.callerIp ? { thisComputer: record.callerIp } : {}), sources });
  if (sources.length === 0) return void io.stdout.write(`Nothing may reach the SSH of ${workspace.name}; "porthole start ${workspace.name}" lets this computer in again.\n`);
  io.stdout.write(`${table(['CIDR', 'WHO'], sources.map((s) => [s.cidr, SOURCE_LABELS[s.source]]))}\n`);
}
