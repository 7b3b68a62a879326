import { workspaceAws } from './workspace-aws.js';
import type { Workspace } from '../../shared/workspace.js';
import { isPortholeError } from '../errors.js';
import type { InstanceStatus, InstanceStatusSource } from './engine-ports.js';
import { deriveWorkspaceState, type ProvisioningStatus } from './workspace-state.js';

/** What asking a workspace's instance about itself gave: its own status, why it was not asked, or why the read failed. */
export type InstanceProbe =
  | { outcome: 'read'; at: string; provisioning: ProvisioningStatus }
  | { outcome: 'not-asked'; why: 'not-running' | 'no-probe'; message: string }
  | { outcome: 'failed'; kind: string; message: string };

/** A workspace as `porthole status` shows it: what the cloud and Porthole know, and what its instance said. */
export type WorkspaceStatus = Workspace & { instance: InstanceProbe };

/**
 * Whether the instance can be asked: it runs and no operation is busy with
 * it (the same instances the engine reads while the app is open).
 */
export function isProbeable(workspace: Workspace): boolean {
  return workspace.state === 'ready' && workspace.operation === undefined;
}

/**
 * The workspace with what its instance said, derived as the engine derives
 * it for the dashboard: unfinished markers are `provisioning` at their step,
 * a failed one is `error` naming the step and why, the idle agent's
 * warning is the stop time, and a ready one carries the ports it listens on.
 */
export function withInstanceStatus(workspace: Workspace, status: InstanceStatus, now: Date = new Date()): Workspace {
  const derived = deriveWorkspaceState({ instance: { state: 'running' }, snapshots: [] }, undefined, status.provisioning);
  const { reason: _reason, provisioning: _provisioning, idleStopAt: _idleStopAt, ports: _ports, ...rest } = workspace;
  const step = status.provisioning.step;
  return {
    ...rest,
    state: derived.state,
    ...(derived.reason ? { reason: derived.reason } : {}),
    ...(derived.state === 'provisioning' && step ? { provisioning: { index: step.index, total: step.total, step: step.name } } : {}),
    ...(derived.state === 'ready' && status.idleStopAt ? { idleStopAt: status.idleStopAt.toISOString() } : {}),
    ...(derived.state === 'ready' && status.ports ? { ports: status.ports } : {}),
    ...(workspace.aws ? { aws: workspaceAws(workspace.aws.profiles, derived.state === 'ready' ? status.awsSignIn : undefined, now.getTime()) } : {}),
  };
}

/**
 * Asks a running workspace's instance about itself with one read (one ssh
 * run); a workspace that is not running is not asked, and says why.
 */
export async function probeWorkspace(workspace: Workspace, source: InstanceStatusSource, now: () => Date = () => new Date()): Promise<WorkspaceStatus> {
  if (!isProbeable(workspace)) return unprobed(workspace);
  try {
    const status = await source.read({ region: workspace.region, name: workspace.name });
    return { ...withInstanceStatus(workspace, status, now()), instance: { outcome: 'read', at: now().toISOString(), provisioning: status.provisioning } };
  } catch (error) {
    return {
      ...workspace,
      instance: { outcome: 'failed', kind: isPortholeError(error) ? error.kind : 'internal', message: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** The workspace as the cloud and Porthole know it, its instance not asked (`--no-probe`). */
export function unprobed(workspace: Workspace): WorkspaceStatus {
  if (!isProbeable(workspace)) return { ...workspace, instance: { outcome: 'not-asked', why: 'not-running', message: notRunningMessage(workspace) } };
  return {
    ...workspace,
    instance: { outcome: 'not-asked', why: 'no-probe', message: 'Its instance was not asked (--no-probe): provisioning progress and the idle stop time are unknown.' },
  };
}

function notRunningMessage(workspace: Workspace): string {
  if (workspace.operation) return `Its instance was not asked while its ${workspace.operation.kind} is under way.`;
  if (workspace.state === 'error') return 'Its instance was not asked: the workspace is in error (see the reason).';
  return `Its instance was not asked: the workspace is ${workspace.state}, not running.`;
}
