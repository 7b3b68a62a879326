import { homedir, userInfo } from 'node:os';
import type { PortholeHandlers } from '../../shared/contract.js';
import type { Workspace } from '../../shared/workspace.js';
import { ensureSshHost } from '../access/ssh-config-writer.js';
import { vscodeRemoteLink } from '../access/vscode-remote-link.js';
import { commandLineToolState, installCommandLineTool, uninstallCommandLineTool, type CommandLineToolPlace } from '../command-line/command-line-tool.js';
import { PortholeError } from '../errors.js';

/** The `porthole` command the app or `porthole ui` ships: what a link on PATH points at, and how ssh runs it. */
export interface ShippedCommandLine {
  /** resources/cli/porthole (porthole.cmd) inside the app; bin/porthole.js in a checkout. */
  launcher: string;
  /** The command ssh's ProxyCommand runs, one word per element. */
  command: readonly string[];
}

export interface CommandLineCallsDeps {
  commandLine: ShippedCommandLine | undefined;
  env: NodeJS.ProcessEnv;
  /** The active account's workspaces, and whether it is the Sandbox (whose logins map onto the local user). */
  /** The workspaces of the account `ref` names (the active one by default). */
  workspaces: (ref: { account?: string }) => { all: Workspace[]; get(ref: { name: string; region?: string }): Workspace; sandbox: boolean };
  /** Hands the vscode:// link to the desktop, which gives it to VS Code. */
  openVsCodeLink: (link: string) => Promise<void>;
  /** A line in the activity log. */
  log: (message: string, workspace?: Workspace) => void;
}

type CommandLineCalls = Pick<PortholeHandlers, 'getCommandLineTool' | 'installCommandLineTool' | 'uninstallCommandLineTool' | 'openInVsCode'>;

/** The calls about Porthole's own command line: installing it on PATH, and the SSH entries VS Code reaches workspaces through. */
export function commandLineCalls(deps: CommandLineCallsDeps): CommandLineCalls {
  const home = () => deps.env.HOME ?? homedir();
  const shipped = (): ShippedCommandLine => {
    if (!deps.commandLine) {
      throw new PortholeError('internal', 'This Porthole was started without its command line.', { fix: 'Start the Porthole app, or "porthole ui" from the porthole command.' });
    }
    return deps.commandLine;
  };
  const place = (): CommandLineToolPlace => ({
    launcher: shipped().launcher,
    home: home(),
    pathEnv: deps.env.PATH ?? '',
    platform: process.platform,
    ...(deps.env.SHELL ? { shell: deps.env.SHELL } : {}),
  });
  return {
    getCommandLineTool: async () => commandLineToolState(place()),
    installCommandLineTool: async ({ folder }) => {
      const result = await installCommandLineTool(place(), folder);
      if (result.changed) deps.log(result.message);
      return result;
    },
    uninstallCommandLineTool: async () => {
      const result = await uninstallCommandLineTool(place());
      if (result.removed.length > 0) deps.log(result.message);
      return result;
    },
    openInVsCode: async (ref) => {
      const { all, get, sandbox } = deps.workspaces(ref);
      const workspace = get(ref);
      const { host, written } = await ensureSshHost({
        home: home(),
        workspace,
        workspaces: all,
        command: shipped().command,
        ...(sandbox ? { userOverride: userInfo().username } : {}),
      });
      if (written) deps.log(`Wrote the SSH entry ${host} for VS Code Remote-SSH (${home()}/.ssh/porthole/config).`, workspace);
      await deps.openVsCodeLink(vscodeRemoteLink(workspace, all));
      return { host, sshConfigWritten: written };
    },
  };
}
