import type { ListeningPort } from '../../shared/ports.js';
import type { AccessMode } from '../../shared/workspace.js';
import type { Clock } from '../cloud/clock.js';
import type { Tags } from '../cloud/model.js';
import type { BoxAwsConfig } from '../provision/box-aws-config.js';
import type { ComposedEnvironment } from '../provision/layer-composition.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import type { CrashHook } from './crash-points.js';
import type { OperationJournal } from './operation-journal.js';
import type { WorkspaceRef } from './workspace-ref.js';
import type { ProvisioningStatus } from './workspace-state.js';

/** What Porthole remembers of a workspace besides the cloud: its settings record. */
export interface WorkspaceRecord extends WorkspaceRef {
  bundleId: string;
  blueprintId: string;
  availabilityZone?: string;
  accessMode: AccessMode;
  idleTimeoutMinutes: number;
  staticIpName: string;
  /** Its Lightsail instance's name, when a restore in place gave it one other than the workspace's (see `instanceNameOf`). */
  instanceName?: string;
  /** Whether hibernation keeps the static IP (so the address survives) or releases it. */
  keepsStaticIp: boolean;
  layers: string[];
  /** The project folder whose `.porthole/` layers count besides the built-in and the user's. */
  projectDir?: string;
  /** The baked image it was created from, if any. */
  image?: string;
  /** A day's backup of another workspace it was restored from (`porthole restore --as`). */
  fromBackup?: BackupRef;
  /** Daily backups, while on: what each new instance of the workspace (a create, a resume) gets. */
  backups?: { timeOfDay?: string };
  /** The public IP this computer had when Porthole last wrote the SSH rule: its /32 in the rule is "this computer". */
  callerIp?: string;
  /** Ports its layers and porthole.json declare, forwarded whenever they listen; absent when there are none. */
  declaredPorts?: number[];
  /** The IAM Identity Center profiles its AWS CLI signs in with (`create --aws-profile`): config only. */
  awsConfig?: BoxAwsConfig;
  createdAt: string;
}

/** One day's automatic snapshot of a workspace's instance. */
export interface BackupRef {
  workspace: string;
  /** The instance the backup was taken of, when not named like the workspace. */
  instanceName?: string;
  /** `YYYY-MM-DD`, UTC. */
  date: string;
}

export interface WorkspaceRecords {
  list(account: string): Promise<WorkspaceRecord[]>;
  put(record: WorkspaceRecord): Promise<void>;
  remove(ref: WorkspaceRef): Promise<void>;
}

/** The keychain, as the engine sees it: one password per workspace. */
export interface PasswordVault {
  get(ref: WorkspaceRef): Promise<string | undefined>;
  set(ref: WorkspaceRef, password: string): Promise<void>;
  delete(ref: WorkspaceRef): Promise<void>;
  /** Every workspace that has a password in this account. */
  list(account: string): Promise<WorkspaceRef[]>;
}

/** What a running instance says about itself: its provisioning progress and, while its idle agent has warned, when it stops. */
export interface InstanceStatus {
  provisioning: ProvisioningStatus;
  idleStopAt?: Date;
  /** The TCP ports its own programs listen on (its services left out); absent when the read could not list them. */
  ports?: ListeningPort[];
  /** The box's own IAM Identity Center sign-in: when its token runs out, no `expiresAt` when it has none; absent when not read. */
  awsSignIn?: { expiresAt?: Date };
}

/** Reads a workspace instance's status from the instance itself (over SSH); `instanceName` when not the workspace's. */
export interface InstanceStatusSource {
  /** `launchId`: the instance's current launch (its `porthole:launch` tag); markers of any other launch read as not begun. */
  read(ref: { region: string; name: string; instanceName?: string; launchId?: string }): Promise<InstanceStatus>;
}

/** Reading each running instance's status; off unless given, so an engine without reachable instances never tries. */
export interface InstanceStatusOptions {
  source: InstanceStatusSource;
  /** How often a workspace not yet known to be provisioned is read (default 3 s). */
  provisioningIntervalMs?: number;
  /** How often a ready workspace with an idle timeout is read for the idle warning (default 2 min). */
  idleIntervalMs?: number;
  /** How often a ready workspace is read while someone watches (its window or the dashboard is open), so a new port shows soon (default 3 s). */
  watchedIntervalMs?: number;
  /** Reads under way at once, across workspaces (default 4). */
  concurrency?: number;
  /** How long a refresh waits for first reads before it shows what it knows (default 3 s). */
  firstReadBudgetMs?: number;
  /** An instance launched longer ago than this whose status cannot be read counts as provisioned (default 30 min). */
  provisioningWindowMs?: number;
}

export interface EngineDependencies {
  /** Names the account in keys and records: `sandbox` or an AWS profile. */
  account: string;
  /** Regions the engine lists even when no record points there (new-laptop discovery). */
  regions: readonly string[];
  defaultRegion: string;
  gateway: LightsailGateway;
  records: WorkspaceRecords;
  passwords: PasswordVault;
  /** Shared by every Porthole process of this user (the app, each CLI command). */
  journal: OperationJournal;
  /** The caller's public IPv4 address, for the SSH firewall rule. */
  publicIp: () => Promise<string>;
  /** The launch script for a new workspace, given the argon2 hash of its password and its composed layers. */
  launchScript: (input: { passwordHash: string; accessMode: AccessMode; idleTimeoutMinutes: number; layers: ComposedEnvironment; launchId: string; awsConfig?: BoxAwsConfig }) => string;
  /** Resolves layer names (base always first) against the layers this user has; the built-in layers when absent. */
  composeLayers?: (names: readonly string[], projectDir?: string) => Promise<ComposedEnvironment>;
  hashPassword: (password: string) => Promise<string>;
  generatePassword: () => string;
  clock: Clock;
  crashHook?: CrashHook;
  /** Extra tags on everything the engine makes (the live acceptance suite's `porthole:test-run`); Porthole's own win. */
  resourceTags?: Tags;
  /** How long to wait for Lightsail to finish a transition. */
  waitTimeoutMs?: number;
  /** How often to look again while waiting for an instance or snapshot (default 2 s). */
  pollIntervalMs?: number;
  /** Provisioning progress and idle warnings read from the instances themselves. */
  instanceStatus?: InstanceStatusOptions;
  /** Reads a new instance's setup where an operation waits for it (a restore in place keeps the old instance until then); without it, running is enough. */
  setUpReader?: InstanceStatusSource;
}

