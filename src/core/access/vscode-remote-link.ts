import { blueprintUser, sshHostName } from './ssh-config-file.js';
import type { Workspace } from '../../shared/workspace.js';

/**
 * The link that opens a workspace in desktop VS Code over Remote-SSH, on
 * the host `porthole ssh-config` writes for it (porthole-NAME), in the
 * home folder of the blueprint's user.
 */
export function vscodeRemoteLink(workspace: Workspace, all: readonly Workspace[]): string {
  return `vscode://vscode-remote/ssh-remote+${encodeURIComponent(sshHostName(workspace, all))}/home/${blueprintUser(workspace.blueprintId)}`;
}
