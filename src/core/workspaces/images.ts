import type { Snapshot, Tags } from '../cloud/model.js';
import { isPortholeManaged, WORKSPACE_TAG } from '../cloud/porthole-tags.js';
import { PortholeError } from '../errors.js';
import type { ComposedEnvironment } from '../provision/layer-composition.js';
import { environmentDigest, stepDigest, type ProvisionStep } from '../provision/provision-steps.js';
import { SNAPSHOT_USD_PER_GB_MONTH } from './workspace-cost.js';
import { PURPOSE_TAG } from './workspace-resources.js';

/**
 * A baked image is a Lightsail instance snapshot of a provisioned
 * workspace. Its tags say which layers it holds, by digest, so a workspace
 * created from it knows which launch-script steps its disk already has done
 * (their marker files are in the snapshot) and which will run.
 */
export const IMAGE_PURPOSE = 'image';
export const IMAGE_TAG = 'porthole:image';
export const IMAGE_LAYERS_TAG = 'porthole:layers';
export const IMAGE_ENVIRONMENT_TAG = 'porthole:environment';
/** One tag per layer, `porthole:layer:<name>` = the SHA-256 of its content (64 characters, within Lightsail's 256). */
export const IMAGE_LAYER_TAG_PREFIX = 'porthole:layer:';

export interface Image {
  name: string;
  region: string;
  state: Snapshot['state'];
  sizeInGb: number;
  /** Lightsail bills a snapshot by its size per GB-month. */
  monthlyUsd: number;
  fromWorkspace?: string;
  fromBundleId?: string;
  layers: string[];
  layerDigests: Record<string, string>;
  environmentDigest?: string;
  createdAt?: string;
}

/** Image names are snapshot names: Lightsail's rules, kept to the same shape as workspace names. */
const IMAGE_NAME = /^[a-z][a-z0-9-]{1,62}$/;

export function validateImageName(name: string): void {
  if (!IMAGE_NAME.test(name)) {
    throw new PortholeError('usage', `"${name}" is not an image name.`, {
      fix: 'Use 2 to 63 lower-case letters, digits and dashes, starting with a letter, e.g. "dev-2026-05".',
    });
  }
}

/** The tags that make a snapshot an image of these layers. */
export function imageTags(image: string, environment: ComposedEnvironment): Tags {
  const tags: Record<string, string> = {
    [PURPOSE_TAG]: IMAGE_PURPOSE,
    [IMAGE_TAG]: image,
    [IMAGE_LAYERS_TAG]: environment.layers.join(','),
    [IMAGE_ENVIRONMENT_TAG]: environmentDigest(environment),
  };
  for (const layer of environment.layers) {
    const digest = environment.layerDigests[layer];
    if (digest) tags[`${IMAGE_LAYER_TAG_PREFIX}${layer}`] = digest;
  }
  return tags;
}

export function isImageSnapshot(snapshot: Snapshot): boolean {
  return isPortholeManaged(snapshot.tags) && snapshot.tags[PURPOSE_TAG] === IMAGE_PURPOSE && snapshot.tags[IMAGE_TAG] !== undefined;
}

export function imageOf(snapshot: Snapshot): Image | undefined {
  if (!isImageSnapshot(snapshot)) return undefined;
  const { tags } = snapshot;
  const layers = (tags[IMAGE_LAYERS_TAG] ?? '').split(',').filter((name) => name.length > 0);
  const layerDigests: Record<string, string> = {};
  for (const layer of layers) {
    const digest = tags[`${IMAGE_LAYER_TAG_PREFIX}${layer}`];
    if (digest) layerDigests[layer] = digest;
  }
  const sizeInGb = snapshot.sizeInGb ?? 0;
  return {
    name: tags[IMAGE_TAG] ?? snapshot.name,
    region: snapshot.region,
    state: snapshot.state,
    sizeInGb,
    monthlyUsd: Math.round(sizeInGb * SNAPSHOT_USD_PER_GB_MONTH * 100) / 100,
    ...(tags[WORKSPACE_TAG] ? { fromWorkspace: tags[WORKSPACE_TAG] } : {}),
    ...(snapshot.fromBundleId ? { fromBundleId: snapshot.fromBundleId } : {}),
    layers,
    layerDigests,
    ...(tags[IMAGE_ENVIRONMENT_TAG] ? { environmentDigest: tags[IMAGE_ENVIRONMENT_TAG] } : {}),
    ...(snapshot.createdAt ? { createdAt: snapshot.createdAt.toISOString() } : {}),
  };
}

export interface BakedStepReport {
  /** Steps whose marker the image's disk already holds: the launch script skips them. */
  skipped: string[];
  /** Steps that will run on the new workspace: changed or new layers, and the per-workspace configuration. */
  run: string[];
}

/**
 * Which of a launch script's steps an image has already done. A layer
 * step's digest is derived from its layer's digest, name and body, so a step
 * is baked exactly when deriving it from one of the image's digests gives
 * the same step digest: an unchanged layer, or unchanged spanning content.
 */
export function bakedSteps(image: Image, steps: readonly ProvisionStep[]): BakedStepReport {
  const keys = [...Object.values(image.layerDigests), ...(image.environmentDigest ? [image.environmentDigest] : [])];
  const report: BakedStepReport = { skipped: [], run: [] };
  for (const step of steps) {
    const baked = step.digest !== undefined && keys.some((key) => stepDigest(key, step.name, step.body) === step.digest);
    (baked ? report.skipped : report.run).push(step.name);
  }
  return report;
}
