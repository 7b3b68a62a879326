import type { Command } from 'commander';
import packageJson from '../../../package.json' with { type: 'json' };
import { Option } from 'commander';
import { awsEndpointResolver, sandboxEndpointResolver } from '../../core/access/ssh-endpoint-resolver.js';
import { eventHistoryPath } from '../../core/app/event-history.js';
import { diagnosticsFileName, exportDiagnostics } from '../../core/diagnostics/export-diagnostics.js';
import { KeytarSecretStore } from '../../core/secrets/keytar-secret-store.js';
import { KeychainPasswords } from '../../core/workspaces/keychain-passwords.js';
import type { CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';

/** `porthole diagnostics NAME`: one archive to attach to a problem report, with every secret removed. */
export function registerDiagnosticsCommand(program: Command, io: CliIo): void {
  program
    .command('diagnostics <name>')
    .description("write one .tar.gz with the workspace's record, recent events, the box's logs and versions, secrets removed")
    .option('-o, --output <file>', 'where to write it (default: porthole-diagnostics-NAME-TIME.tar.gz here)')
    .addOption(new Option('--region <region>', 'the region, when the name is used in several'))
    .action((name: string, options: { output?: string; region?: string }) =>
      withContext(program.opts<GlobalOptions>(), io, async (ctx) => {
        const resolver = ctx.sandboxEndpoint !== undefined ? sandboxEndpointResolver(ctx.sandboxEndpoint, 'ssh') : awsEndpointResolver;
        const archive = await exportDiagnostics(
          {
            engine: ctx.engine,
            gateway: ctx.gateway,
            resolver,
            passwords: new KeychainPasswords(new KeytarSecretStore()),
            historyPath: eventHistoryPath(ctx.dataDir),
            portholeVersion: packageJson.version,
          },
          { name, ...(options.region ? { region: options.region } : {}) },
          options.output ?? diagnosticsFileName(name, new Date()),
        );
        if (ctx.json) return void io.stdout.write(`${JSON.stringify(archive)}\n`);
        io.stdout.write(`${archive.path}\n`);
        io.stderr.write(`Diagnostics for "${name}": ${archive.files.length} files (record, events, logs, versions), passwords, keys and tokens removed.\n`);
      }),
    );
}

