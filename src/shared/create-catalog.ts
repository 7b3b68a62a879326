import type { AccessMode } from './workspace.js';

/**
 * What the create wizard is offered (the catalog) and what it sends back (the
 * request), and how a form hears about a field it got wrong.
 */

export interface CreateWorkspaceRequest {
  name: string;
  region?: string;
  bundleId?: string;
  blueprintId?: string;
  /** Layer names, base first; empty or absent: the built-in base layer set. */
  layers?: string[];
  accessMode?: AccessMode;
  /** 0: never stops by itself. */
  idleTimeoutMinutes?: number;
  /** A baked image (snapshot) to launch from instead of the blueprint. */
  image?: string;
  /** Daily backups from the start (Lightsail's automatic snapshots). */
  backups?: boolean;
  /** Desktop IAM Identity Center profiles the workspace's AWS CLI is configured for (configuration only; it signs in for itself). */
  awsProfiles?: string[];
}

/** What a user can get wrong in a field, said so a form can show it beside that field. */
export interface FieldProblem {
  field: string;
  message: string;
  fix?: string;
}

export interface RegionOption {
  name: string;
  displayName: string;
}

export interface BundleOption {
  id: string;
  name: string;
  priceMonthlyUsd: number;
  cpuCount: number;
  ramSizeInGb: number;
  diskSizeInGb: number;
}

export interface BlueprintOption {
  id: string;
  name: string;
}

export interface LayerOption {
  name: string;
  description: string;
  extends: string[];
  /** Where it comes from: built-in, the user's layers folder, a project. */
  source: 'built-in' | 'user' | 'project';
}

export interface ImageOption {
  name: string;
  /** The layers baked into it. */
  layers: string[];
  region: string;
}

/**
 * A desktop profile that signs in with IAM Identity Center, as the wizard
 * offers it for the workspace's AWS CLI: where it signs in, or why a
 * workspace cannot use it (no account or role, say) and how to fix that.
 */
export interface AwsProfileOption {
  name: string;
  accountId?: string;
  roleName?: string;
  region?: string;
  problem?: { message: string; fix?: string };
}

/** The choices the create wizard offers, for one region. */
export interface Catalog {
  region: string;
  regions: RegionOption[];
  bundles: BundleOption[];
  blueprints: BlueprintOption[];
  layers: LayerOption[];
  images: ImageOption[];
  /** This computer's IAM Identity Center profiles, usable or not, by name. */
  awsProfiles: AwsProfileOption[];
  defaults: { bundleId: string; blueprintId: string; layers: string[]; accessMode: AccessMode; idleTimeoutMinutes: number };
}
