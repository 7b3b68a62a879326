import type { OperationKind, WorkspaceState } from '../../shared/workspace.js';

import type { InstanceStateName } from '../cloud/model.js';

export interface ObservedResources {
  instance?: { state: InstanceStateName };
  /** Hibernation snapshots of this workspace, any state. */
  snapshots: ReadonlyArray<{ state: string }>;
}

export interface RunningOperation {
  kind: OperationKind;
  /** Set when the operation stopped on an error it could not recover from. */
  failure?: string;
}

/** What the instance's progress markers say: finished, failed, or at which step of how many. */
export interface ProvisioningStatus {
  done: boolean;
  failure?: string;
  /** The step the last marker names; absent before the launch script has begun. */
  step?: { index: number; total: number; name: string };
}

export interface DerivedState {
  state: WorkspaceState;
  reason?: string;
}

const OPERATION_STATE: Record<OperationKind, WorkspaceState> = {
  create: 'creating',
  start: 'starting',
  stop: 'stopping',
  reboot: 'starting',
  delete: 'deleting',
  hibernate: 'hibernating',
  resume: 'resuming',
  // Lightsail snapshots a running instance; the workspace stays usable while it bakes.
  bake: 'ready',
  restore: 'restoring',
};

/**
 * The state a user sees, from what the cloud shows, what Porthole is doing
 * (the journal) and what the instance says about its provisioning. An
 * operation in flight wins: mid-hibernate the instance reads "stopped", but
 * the user asked for "hibernating" and should see that until it is done.
 */
export function deriveWorkspaceState(
  observed: ObservedResources,
  operation?: RunningOperation,
  provisioning?: ProvisioningStatus,
): DerivedState {
  if (operation?.failure) return { state: 'error', reason: operation.failure };
  if (operation) return { state: OPERATION_STATE[operation.kind] };
  const instance = observed.instance;
  if (instance) {
    switch (instance.state) {
      case 'pending':
      case 'starting':
      case 'rebooting':
        return { state: 'starting' };
      case 'running':
        if (provisioning?.failure) return { state: 'error', reason: provisioning.failure };
        return provisioning && !provisioning.done ? { state: 'provisioning' } : { state: 'ready' };
      case 'stopping':
        return { state: 'stopping' };
      case 'stopped':
        return { state: 'stopped' };
      case 'shutting-down':
      case 'terminated':
        return { state: 'deleting' };
      default:
        return { state: 'error', reason: `Lightsail reports the instance as "${instance.state}", a state Porthole does not know.` };
    }
  }
  if (observed.snapshots.some((s) => s.state === 'available')) return { state: 'hibernated' };
  if (observed.snapshots.some((s) => s.state === 'pending')) return { state: 'hibernating' };
  return {
    state: 'error',
    reason: 'Its instance is gone and no hibernation snapshot is left to resume from. Delete the workspace to release what remains.',
  };
}
