import type { Workspace, WorkspaceState } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { tunnelTargetOf, type TunnelTarget } from './ssh-tunnel.js';

/** States in which the instance runs and its sshd answers, though code-server may not (yet). */
const BOX_UP: ReadonlySet<WorkspaceState> = new Set(['ready', 'provisioning', 'error']);

/**
 * The instance behind a workspace, for reading or copying its files over
 * SSH: a ready workspace, and also one still provisioning or whose
 * provisioning failed, since that is when its logs matter most.
 */
export function boxTarget(workspace: Workspace, doing: string): TunnelTarget {
  if (!BOX_UP.has(workspace.state) || (workspace.state === 'error' && workspace.publicIp === undefined)) {
    const fix =
      workspace.state === 'stopped'
        ? `Start it with "porthole start ${workspace.name}".`
        : workspace.state === 'hibernated'
          ? `Resume it with "porthole resume ${workspace.name}".`
          : 'Wait until it is running, then try again.';
    throw new PortholeError('wrong-state', `Workspace "${workspace.name}" is ${workspace.state}; ${doing} needs its instance running.`, { fix });
  }
  return tunnelTargetOf(workspace);
}
