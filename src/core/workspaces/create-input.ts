import type { AccessMode, Workspace } from '../../shared/workspace.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { PortholeError } from '../errors.js';
import type { BoxAwsConfig } from '../provision/box-aws-config.js';
import type { BackupRef, WorkspaceRecord } from './engine-ports.js';
import { validateBackupDate, validateBackupTime } from './backup-rules.js';
import { staticIpNameFor } from './workspace-resources.js';
import {
  ensureValid,
  validateBlueprintId,
  validateBundleId,
  validateIdleTimeoutMinutes,
  validateDeclaredPorts,
  validateRegion,
  validateWorkspaceName,
} from './workspace-name.js';

export interface CreateWorkspaceInput {
  name: string;
  region?: string;
  bundleId?: string;
  blueprintId?: string;
  accessMode?: AccessMode;
  idleTimeoutMinutes?: number;
  layers?: string[];
  /** A baked image (`porthole bake`) to start from instead of the bare blueprint. */
  image?: string;
  /** A project folder whose `.porthole/` layers may be named in `layers`. */
  projectDir?: string;
  /** Daily backups from the start; `timeOfDay` is a UTC hour, `HH:00`. */
  backups?: { timeOfDay?: string };
  /** A day's backup of another workspace to start from instead of the blueprint. */
  fromBackup?: BackupRef;
  /** Ports forwarded whenever they listen (porthole.json's), besides the ones its layers declare. */
  ports?: number[];
  /** The IAM Identity Center profiles the box's AWS CLI signs in with; brings the aws layer. */
  awsConfig?: BoxAwsConfig;
}

export const DEFAULT_BUNDLE = 'small_3_0';
export const DEFAULT_BLUEPRINT = 'ubuntu_24_04';
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 60;

interface ValidationContext {
  account: string;
  defaultRegion: string;
  gateway: LightsailGateway;
  existing: readonly Workspace[];
  now: Date;
  /** The idle timeout the layers suggest, used when the input sets none. */
  suggestedIdleTimeoutMinutes?: number;
  /** The baked image the workspace starts from: its disk must fit the bundle's. */
  image?: { name: string; sizeInGb: number; fromBundleId?: string };
}

/**
 * Checks a create request completely before anything is made: the shapes
 * first (no call), then the region, bundle and blueprint against what
 * Lightsail offers, then that the name is free. Each problem is a 'usage'
 * error naming the value and what to use instead.
 */
export async function validateCreateInput(input: CreateWorkspaceInput, context: ValidationContext): Promise<WorkspaceRecord> {
  const region = input.region ?? context.defaultRegion;
  // From an image, its own bundle is the one sure to fit its disk.
  const bundleId = input.bundleId ?? context.image?.fromBundleId ?? DEFAULT_BUNDLE;
  const blueprintId = input.blueprintId ?? DEFAULT_BLUEPRINT;
  const idleTimeoutMinutes = input.idleTimeoutMinutes ?? context.suggestedIdleTimeoutMinutes ?? DEFAULT_IDLE_TIMEOUT_MINUTES;
  ensureValid(validateWorkspaceName(input.name));
  ensureValid(validateRegion(region));
  ensureValid(validateBundleId(bundleId));
  ensureValid(validateBlueprintId(blueprintId));
  ensureValid(validateIdleTimeoutMinutes(idleTimeoutMinutes));
  if (input.backups?.timeOfDay !== undefined) ensureValid(validateBackupTime(input.backups.timeOfDay));
  if (input.fromBackup) ensureValid(validateBackupDate(input.fromBackup.date));
  if (input.ports) ensureValid(validateDeclaredPorts(input.ports));

  const { gateway } = context;
  const regions = await gateway.getRegions();
  if (!regions.some((r) => r.name === region)) {
    throw new PortholeError('usage', `Region "${region}" has no Lightsail.`, {
      fix: `Use one of: ${regions.map((r) => r.name).join(', ')}.`,
    });
  }
  const [bundles, blueprints] = await Promise.all([gateway.getBundles(region), gateway.getBlueprints(region)]);
  const bundle = bundles.find((b) => b.id === bundleId && b.isActive);
  if (!bundle) {
    const offered = bundles.filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX'));
    throw new PortholeError('usage', `Bundle "${bundleId}" is not offered in ${region}.`, {
      fix: `Use one of: ${offered.map((b) => `${b.id} ($${b.priceMonthlyUsd}/month)`).join(', ')}.`,
    });
  }
  const { image } = context;
  if (image && bundle.diskSizeInGb < image.sizeInGb) {
    const fitting = bundles.filter((b) => b.isActive && b.platforms.includes('LINUX_UNIX') && b.diskSizeInGb >= image.sizeInGb);
    throw new PortholeError('usage', `Bundle "${bundleId}" has a ${bundle.diskSizeInGb} GB disk, smaller than the ${image.sizeInGb} GB image "${image.name}".`, {
      fix: `Use a bundle with a disk of at least ${image.sizeInGb} GB: ${fitting.map((b) => `${b.id} ($${b.priceMonthlyUsd}/month)`).join(', ') || 'none is offered in this region'}.`,
    });
  }
  const blueprint = blueprints.find((b) => b.id === blueprintId && b.isActive);
  if (!blueprint) {
    const offered = blueprints.filter((b) => b.isActive && b.type === 'os' && b.platform === 'LINUX_UNIX');
    throw new PortholeError('usage', `Blueprint "${blueprintId}" is not offered in ${region}.`, {
      fix: `Use one of: ${offered.map((b) => b.id).join(', ')}.`,
    });
  }
  if (context.existing.some((w) => w.name === input.name && w.region === region)) {
    throw new PortholeError('name-taken', `A workspace named "${input.name}" already exists in ${region}.`, {
      fix: 'Choose another name, or delete the existing workspace first.',
    });
  }
  if (await gateway.findInstance(region, input.name)) {
    throw new PortholeError('name-taken', `An instance named "${input.name}" already exists in ${region}, and Porthole did not create it.`, {
      fix: 'Choose another name; Porthole leaves instances it does not manage alone.',
    });
  }
  return {
    account: context.account,
    region,
    name: input.name,
    bundleId,
    blueprintId,
    accessMode: input.accessMode ?? 'tunnel',
    idleTimeoutMinutes,
    staticIpName: staticIpNameFor(input.name),
    keepsStaticIp: true,
    layers: withAwsLayer(input.layers ?? [], input.awsConfig),
    ...(input.awsConfig ? { awsConfig: input.awsConfig } : {}),
    ...(input.projectDir ? { projectDir: input.projectDir } : {}),
    ...(input.image ? { image: input.image } : {}),
    ...(input.fromBackup ? { fromBackup: input.fromBackup } : {}),
    ...(input.backups ? { backups: input.backups } : {}),
    ...(input.ports?.length ? { declaredPorts: input.ports } : {}),
    createdAt: context.now.toISOString(),
  };
}

/** A workspace whose AWS CLI signs in needs the CLI: the aws layer joins its layers unless one of them already brings it. */
function withAwsLayer(layers: string[], awsConfig: BoxAwsConfig | undefined): string[] {
  return awsConfig && !layers.includes('aws') ? [...layers, 'aws'] : layers;
}
