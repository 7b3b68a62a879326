import type { AccessMode } from '../../shared/workspace.js';
import type { Clock } from '../cloud/clock.js';
import type { ComposedEnvironment } from '../provision/layer-composition.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import type { CrashHook } from './crash-points.js';
import type { OperationJournal } from './operation-journal.js';
import type { WorkspaceRef } from './workspace-ref.js';

/** What Porthole remembers of a workspace besides the cloud: its settings record. */
export interface WorkspaceRecord extends WorkspaceRef {
  bundleId: string;
  blueprintId: string;
  availabilityZone?: string;
  accessMode: AccessMode;
  idleTimeoutMinutes: number;
  staticIpName: string;
  /** Whether hibernation keeps the static IP (so the address survives) or releases it. */
  keepsStaticIp: boolean;
  layers: string[];
  /** The project folder whose `.porthole/` layers count besides the built-in and the user's. */
  projectDir?: string;
  /** The baked image it was created from, if any. */
  image?: string;
  createdAt: string;
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
  launchScript: (input: { passwordHash: string; accessMode: AccessMode; idleTimeoutMinutes: number; layers: ComposedEnvironment }) => string;
  /** Resolves layer names (base always first) against the layers this user has; the built-in layers when absent. */
  composeLayers?: (names: readonly string[], projectDir?: string) => Promise<ComposedEnvironment>;
  hashPassword: (password: string) => Promise<string>;
  generatePassword: () => string;
  clock: Clock;
  crashHook?: CrashHook;
  /** How long to wait for Lightsail to finish a transition. */
  waitTimeoutMs?: number;
  /** How often to look again while waiting for an instance or snapshot (default 2 s). */
  pollIntervalMs?: number;
}

