import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { isPortholeError, PortholeError } from '../core/errors.js';
import { registerAccessCommands } from './commands/access-commands.js';
import { registerAccountCommands } from './commands/account-commands.js';
import { registerAwsLoginCommand } from './commands/aws-login-command.js';
import { registerAppCommand } from './commands/app-command.js';
import { registerBackupCommands } from './commands/backup-commands.js';
import { registerCpCommand } from './commands/cp-command.js';
import { registerDiagnosticsCommand } from './commands/diagnostics-command.js';
import { registerDoctorCommand } from './commands/doctor-command.js';
import { registerImageCommands } from './commands/image-commands.js';
import { registerInstallCliCommand } from './commands/install-cli-command.js';
import { registerEmulatorCommand } from './commands/emulator-command.js';
import { registerLayerCommands } from './commands/layer-commands.js';
import { registerLoginCommand } from './commands/login-command.js';
import { registerLogsCommand } from './commands/logs-command.js';
import { registerPlanCommands } from './commands/plan-commands.js';
import { registerPortCommands } from './commands/port-commands.js';
import { registerFirewallCommand } from './commands/firewall-command.js';
import { registerSandboxCommand } from './commands/sandbox-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerUiCommand } from './commands/ui-command.js';
import { registerWorkspaceCommands } from './commands/workspace-commands.js';
import type { CliIo } from './cli-io.js';

/**
 * The `porthole` command line. Exit codes: 0 done, 1 the operation failed,
 * 2 the command was wrong (bad input, a name in use, an action the
 * workspace's state does not allow) — so scripts can tell "fix your call"
 * from "try again". `porthole plan --detailed-exitcode` exits 3 when apply
 * would change something; `porthole doctor` exits 1 when a check fails or
 * something is left over.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('porthole')
    .description('Your own VS Code workspaces on AWS Lightsail.')
    .version(packageJson.version, '-V, --version', 'print the version of Porthole')
    .addOption(new Option('--json', 'print results as JSON for scripts'))
    .addOption(new Option('--data-dir <dir>', 'where Porthole keeps its settings and journal').env('PORTHOLE_HOME'))
    .addOption(new Option('--account <name>', 'act in this enabled account instead of the active one, without switching'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  registerWorkspaceCommands(program, io);
  registerBackupCommands(program, io);
  registerAccessCommands(program, io, setExitCode);
  registerLogsCommand(program, io);
  registerPortCommands(program, io);
  registerFirewallCommand(program, io);
  registerCpCommand(program, io);
  registerDiagnosticsCommand(program, io);
  registerAccountCommands(program, io);
  registerLoginCommand(program, io);
  registerAwsLoginCommand(program, io);
  registerEmulatorCommand(program, io);
  registerLayerCommands(program, io);
  registerImageCommands(program, io);
  registerStatusCommand(program, io, setExitCode);
  registerPlanCommands(program, io, setExitCode);
  registerDoctorCommand(program, io, setExitCode);
  registerSandboxCommand(program, io);
  registerUiCommand(program, io);
  registerAppCommand(program, io, setExitCode);
  registerInstallCliCommand(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return report(error, program.opts<{ json?: boolean }>().json === true, io);
  }
}

function report(error: unknown, json: boolean, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed its own message (help, version, or the usage mistake).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  const portholeError = isPortholeError(error)
    ? error
    : new PortholeError('internal', `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`, {
        fix: 'Run the command again; if it keeps failing, report it with the output of "porthole status".',
      });
  if (json) {
    io.stdout.write(`${JSON.stringify({ error: { kind: portholeError.kind, message: portholeError.message, ...(portholeError.requestId ? { requestId: portholeError.requestId } : {}) } })}\n`);
  } else {
    io.stderr.write(`porthole: ${portholeError.message}\n`);
  }
  return USAGE_KINDS.has(portholeError.kind) ? 2 : 1;
}

/** Mistakes in the call itself: a retry of the same command cannot succeed. */
const USAGE_KINDS = new Set(['usage', 'wrong-state', 'name-taken']);
