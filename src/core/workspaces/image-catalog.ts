import { PortholeError } from '../errors.js';
import { buildLaunchScript } from '../provision/launch-script.js';
import type { EngineDependencies } from './engine-ports.js';
import { bakedSteps, imageOf, type BakedStepReport, type Image } from './images.js';
import { composeWorkspaceLayers } from './workspace-operations.js';

/** A well-formed argon2id string no password produces, for building a script only to read its steps. */
const REPORT_HASH = '$argon2id$v=19$m=19456,t=2,p=1$cmVwb3J0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Baked images in these regions, by name. */
export async function listImages(deps: Pick<EngineDependencies, 'gateway'>, regions: readonly string[]): Promise<Image[]> {
  const snapshots = await Promise.all(regions.map((region) => deps.gateway.listSnapshots(region)));
  return snapshots
    .flat()
    .map(imageOf)
    .filter((image): image is Image => image !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region));
}

/** An image a workspace can be made from now, or why not. */
export async function availableImage(deps: Pick<EngineDependencies, 'gateway' | 'account'>, image: string, region: string): Promise<Image> {
  const found = (await deps.gateway.listSnapshots(region)).map(imageOf).find((i) => i?.name === image);
  if (!found) throw noImage(deps.account, image, region);
  if (found.state !== 'available') {
    throw new PortholeError('wrong-state', `Image "${image}" is ${found.state}, not available yet.`, { fix: 'Wait for its bake to finish ("porthole images"), then try again.' });
  }
  return found;
}

export function noImage(account: string, image: string, region: string | undefined): PortholeError {
  return new PortholeError('not-found', `There is no image "${image}"${region ? ` in ${region}` : ''} in account ${account}.`, {
    fix: 'Run "porthole images" to see the images, or "porthole bake WORKSPACE --as IMAGE" to make one.',
  });
}

/** Which launch-script steps a workspace made from `image` with these layers skips, and which it runs. */
export async function imageStepsReport(deps: EngineDependencies, image: string, layers: readonly string[] | undefined, region: string): Promise<BakedStepReport> {
  const found = await availableImage(deps, image, region);
  const environment = await composeWorkspaceLayers(deps, layers ?? found.layers.filter((name) => name !== 'base'));
  // Only the steps' names and digests matter here; no password is involved.
  const built = buildLaunchScript({ passwordHash: REPORT_HASH, accessMode: 'tunnel', idleTimeoutMinutes: 60, layers: environment });
  return bakedSteps(found, built.steps);
}
