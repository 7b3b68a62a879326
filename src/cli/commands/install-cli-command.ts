import { homedir } from 'node:os';
import type { Command } from 'commander';
import { installCommandLineTool, uninstallCommandLineTool, type CommandLineToolPlace } from '../../core/command-line/command-line-tool.js';
import type { CliIo } from '../cli-io.js';
import type { GlobalOptions } from '../context.js';
import { selfCommand } from '../self-command.js';

/**
 * `porthole install-cli`: the app's "Install command line tool" from a
 * terminal, for the copy of porthole that runs it (the one inside the app,
 * run by its full path once, or a checkout's bin/porthole.js).
 */
export function registerInstallCliCommand(program: Command, io: CliIo): void {
  program
    .command('install-cli')
    .description('link this porthole into ~/.local/bin (--system: /usr/local/bin) so a terminal finds it; --uninstall takes it away')
    .option('--system', 'link it into /usr/local/bin, for every user of this computer')
    .option('--uninstall', "remove Porthole's links from both folders")
    .action(async (options: { system?: boolean; uninstall?: boolean }) => {
      const { json } = program.opts<GlobalOptions>();
      const place: CommandLineToolPlace = {
        launcher: selfCommand().launcher,
        home: process.env.HOME ?? homedir(),
        pathEnv: process.env.PATH ?? '',
        platform: process.platform,
        ...(process.env.SHELL ? { shell: process.env.SHELL } : {}),
      };
      const result = options.uninstall ? await uninstallCommandLineTool(place) : await installCommandLineTool(place, options.system ? 'system' : 'user');
      io.stdout.write(json ? `${JSON.stringify(result)}\n` : `${result.message}\n`);
    });
}
