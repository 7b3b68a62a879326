import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import { parseSshCidr } from '../../core/workspaces/firewall-cidr.js';
import type { CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';

const SSH_PORT = 22;

/** `porthole firewall NAME --allow CIDR | --revoke CIDR`: more (or fewer) addresses for the workspace's SSH, the only port it opens. */
export function registerFirewallCommand(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  program
    .command('firewall <name>')
    .description("let another address range reach the workspace's SSH (--allow CIDR), or take one away (--revoke CIDR); 0.0.0.0/0 only with --i-know-this-is-public")
    .option('--allow <cidr>', 'an IPv4 address or range to allow, such as 203.0.113.7/32')
    .option('--revoke <cidr>', 'an address or range to take away')
    .option('--i-know-this-is-public', 'allow the whole internet (0.0.0.0/0)')
    .option('--region <region>', 'the region, when the name is used in several')
    .action((name: string, options: { allow?: string; revoke?: string; iKnowThisIsPublic?: boolean; region?: string }) => {
      if ((options.allow === undefined) === (options.revoke === undefined)) {
        throw new PortholeError('usage', 'Say what to change with exactly one of --allow CIDR or --revoke CIDR.', { fix: `For example: porthole firewall ${name} --allow 203.0.113.7/32.` });
      }
      const allow = options.allow !== undefined;
      const cidr = parseSshCidr((options.allow ?? options.revoke)!, { public: options.iKnowThisIsPublic === true || !allow });
      return withContext(globals(), io, async (ctx) => {
        const workspace = ctx.engine.get(name, options.region);
        const rule = { fromPort: SSH_PORT, toPort: SSH_PORT, protocol: 'tcp' as const, cidrs: [cidr] };
        const operations = allow ? await ctx.gateway.openPublicPorts(workspace.region, workspace.name, rule) : await ctx.gateway.closePublicPorts(workspace.region, workspace.name, rule);
        await ctx.gateway.waitForOperations(operations);
        if (ctx.json) return void io.stdout.write(`${JSON.stringify({ workspace: name, port: SSH_PORT, [allow ? 'allowed' : 'revoked']: cidr })}\n`);
        io.stdout.write(allow ? `SSH of ${name} now also answers ${cidr}.\n` : `SSH of ${name} no longer answers ${cidr}.\n`);
      });
    });
}
