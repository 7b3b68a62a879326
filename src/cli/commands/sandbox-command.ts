import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import {
  CODE_SERVER_VERSION,
  CodeServerInstallError,
  codeServerSearchDirs,
  dataInstallDir,
  findCodeServer,
  installCodeServer,
} from '../../emulator/runtime/code-server-install.js';
import { SSHD_MISSING, findSshd } from '../../emulator/runtime/sshd.js';
import type { CliIo } from '../cli-io.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';

/**
 * `porthole sandbox install`: what sandbox instances need to really run.
 * code-server is installed into Porthole's data folder (Debian has no
 * package for it); sshd comes from the system, so it is only checked.
 */
export function registerSandboxCommand(program: Command, io: CliIo): void {
  const sandbox = program.command('sandbox').description('the Sandbox account: lightsail-local, with instances that run on this machine');
  sandbox
    .command('install')
    .description(`install code-server ${CODE_SERVER_VERSION} for sandbox instances (about a minute and 300 MB)`)
    .action(() => {
      const globals = program.opts<GlobalOptions>();
      const dataDir = globals.dataDir ?? defaultDataDir();
      const sshd = findSshd();
      let bin = findCodeServer(codeServerSearchDirs(dataDir));
      const alreadyInstalled = bin !== undefined;
      if (!bin) {
        try {
          bin = installCodeServer(dataInstallDir(dataDir), (line) => io.stderr.write(`${line}\n`));
        } catch (error) {
          if (!(error instanceof CodeServerInstallError)) throw error;
          throw new PortholeError('internal', `Could not install code-server ${CODE_SERVER_VERSION} for the sandbox: ${error.message}`, {
            fix: 'Fix that and run "porthole sandbox install" again; nothing half-installed is kept.',
          });
        }
      }
      if (globals.json) {
        io.stdout.write(`${JSON.stringify({ codeServer: bin, version: CODE_SERVER_VERSION, alreadyInstalled, sshd: sshd ?? null })}\n`);
      } else {
        io.stdout.write(`code-server ${CODE_SERVER_VERSION} ${alreadyInstalled ? 'is already installed' : 'is installed'} at ${bin}\n`);
        io.stdout.write(sshd ? `sshd: ${sshd}\nSandbox workspaces now run code-server on this machine.\n` : `Still needed: ${SSHD_MISSING}\n`);
      }
    });
}
