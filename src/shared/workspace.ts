import type { ListeningPort } from './ports.js';

/**
 * What a workspace is to the user. Every consumer (tray, dashboard, CLI,
 * notifications) sees this shape; none of them sees Lightsail's.
 */
export type WorkspaceState =
  | 'creating'
  | 'provisioning'
  | 'ready'
  | 'starting'
  | 'stopping'
  | 'stopped'
  | 'hibernating'
  | 'hibernated'
  | 'resuming'
  | 'restoring'
  | 'deleting'
  | 'error';

/** States that settle by themselves; the poller runs fast while any workspace is in one. */
export const CHANGING_STATES: ReadonlySet<WorkspaceState> = new Set([
  'creating',
  'provisioning',
  'starting',
  'stopping',
  'hibernating',
  'resuming',
  'restoring',
  'deleting',
]);

export type AccessMode = 'tunnel' | 'direct';

export type OperationKind = 'create' | 'start' | 'stop' | 'reboot' | 'delete' | 'hibernate' | 'resume' | 'bake' | 'restore';

export interface OperationProgress {
  kind: OperationKind;
  step: string;
  index: number;
  total: number;
}

export interface ProvisioningProgress {
  index: number;
  total: number;
  step: string;
}

export interface WorkspaceCost {
  /** What the workspace costs per month in its current state, in USD. */
  monthlyUsd: number;
  /** What it would cost per month while hibernated (snapshot + kept static IP). */
  hibernatedMonthlyUsd: number;
  /** What it costs per month while running or stopped (Lightsail bills both), backups included. */
  activeMonthlyUsd: number;
  /** The most its daily backups add per month (seven full snapshots), while they are on. */
  backupsMonthlyUsd?: number;
}

/** One day's backup of a workspace: Lightsail's automatic snapshot of its instance. */
export interface WorkspaceBackup {
  /** `YYYY-MM-DD`, UTC: backups are named by their day. */
  date: string;
  createdAt?: string;
  status: 'ready' | 'in-progress' | 'failed';
  /** The most its storage costs per month (the disk's size at the snapshot rate). */
  monthlyUsd: number;
}

export interface WorkspaceBackups {
  name: string;
  region: string;
  enabled: boolean;
  /** The UTC hour (`HH:00`) the daily backup is taken, while on. */
  timeOfDay?: string;
  /** How many Lightsail keeps before it deletes the oldest. */
  kept: number;
  /** Newest first. */
  backups: WorkspaceBackup[];
  /** What the backups there now cost per month, at most. */
  monthlyUsd: number;
  /** Why there are none to list, when that needs saying (a hibernated workspace has no instance to back up). */
  note?: string;
  /** What a restore in place keeps and what it deletes, said before one starts; absent while there is no instance. */
  inPlaceWarning?: string;
}

export interface Workspace {
  name: string;
  account: string;
  region: string;
  /** Its Lightsail instance's name, when not the workspace's: Lightsail cannot rename one, so a restore in place runs the workspace on a new instance. */
  instanceName?: string;
  state: WorkspaceState;
  /** Why the workspace is in `error`, or what an operation is waiting on. */
  reason?: string;
  bundleId: string;
  blueprintId: string;
  accessMode: AccessMode;
  publicIp?: string;
  staticIpName?: string;
  /** The latest hibernation snapshot, when there is one. */
  snapshotName?: string;
  createdAt?: string;
  idleTimeoutMinutes?: number;
  operation?: OperationProgress;
  /** While provisioning: the launch script's step, as its progress markers on the instance say. */
  provisioning?: ProvisioningProgress;
  /** When provisioning failed: the launch script's step that failed (the log viewer opens at its line). */
  failedStep?: ProvisioningProgress;
  /** When the idle agent has warned that it stops the workspace (ISO time); absent while there is no warning. */
  idleStopAt?: string;
  /** While ready: the TCP ports its own programs listen on, as its last status read found them; absent until read. */
  ports?: ListeningPort[];
  /** Ports its layers and porthole.json declare: forwarded whenever they listen, whatever the auto-forward range. */
  declaredPorts?: number[];
  cost: WorkspaceCost;
  /** Daily backups: the UTC hour they are taken, while on. */
  backups?: { timeOfDay: string };
  /** The AWS CLI on the workspace, when it was created with IAM Identity Center profiles. */
  aws?: WorkspaceAws;
  /** False when the keychain has no password for it (a workspace found in the cloud from another machine). */
  hasPassword: boolean;
}

/** The one name of the action that signs a workspace's own AWS CLI in, wherever it is offered (dashboard, tray, notification). */
export const AWS_SIGN_IN_LABEL = 'Sign in to AWS on this workspace';

/** The workspace's own AWS sign-in: the profiles its CLI has and, once a status read has looked, whether its token is current. */
export interface WorkspaceAws {
  profiles: string[];
  /** `signed-out`: no token yet; `expired`: the token ran out, sign in again. Absent until read, and while the workspace is not ready. */
  signIn?: 'signed-in' | 'signed-out' | 'expired';
  /** When the current token runs out (ISO time), while signed in. */
  signedInUntil?: string;
}
