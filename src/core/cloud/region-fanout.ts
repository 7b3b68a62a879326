import type { PortholeError } from '../errors.js';

export interface RegionFailure {
  region: string;
  error: PortholeError;
}

/** What many regions answered: one region failing must not hide what the others hold. */
export interface RegionalResult<T> {
  items: T[];
  failures: RegionFailure[];
}

/** At most this many regions are asked at once, so a full sweep stays under Lightsail's request rate. */
export const DEFAULT_REGION_CONCURRENCY = 4;

export async function acrossRegions<T>(
  regions: readonly string[],
  list: (region: string) => Promise<T[]>,
  toError: (error: unknown, region: string) => PortholeError,
  concurrency = DEFAULT_REGION_CONCURRENCY,
): Promise<RegionalResult<T>> {
  const perRegion: (T[] | RegionFailure)[] = new Array(regions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < regions.length) {
      const index = next++;
      const region = regions[index]!;
      try {
        perRegion[index] = await list(region);
      } catch (error) {
        perRegion[index] = { region, error: toError(error, region) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, regions.length)) }, worker));
  const items: T[] = [];
  const failures: RegionFailure[] = [];
  for (const outcome of perRegion) {
    if (Array.isArray(outcome)) items.push(...outcome);
    else failures.push(outcome);
  }
  return { items, failures };
}
