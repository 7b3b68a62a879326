import { GetBlueprintsCommand, GetBundlesCommand, GetRegionsCommand } from '@aws-sdk/client-lightsail';
import { blueprintFromSdk, bundleFromSdk, regionFromSdk } from './from-sdk.js';
import type { GatewayCalls } from './gateway-calls.js';
import type { Blueprint, Bundle, Region } from './model.js';
import { collectPages } from './pagination.js';

/** What Lightsail offers: regions, bundles (sizes) and blueprints (images). */
export class CatalogueCalls {
  constructor(readonly calls: GatewayCalls) {}

  async getRegions(): Promise<Region[]> {
    const region = this.calls.account.region;
    const out = await this.calls.call(
      { region, action: 'list the Lightsail regions', operation: 'GetRegions', idempotent: true },
      (c) => c.send(new GetRegionsCommand({ includeAvailabilityZones: true })),
    );
    return (out.regions ?? []).map(regionFromSdk);
  }

  getBundles(region: string): Promise<Bundle[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
        { region, action: 'list the instance bundles', operation: 'GetBundles', idempotent: true },
        (c) => c.send(new GetBundlesCommand({ pageToken })),
      );
      return { items: (out.bundles ?? []).map(bundleFromSdk), nextPageToken: out.nextPageToken };
    });
  }

  getBlueprints(region: string): Promise<Blueprint[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
        { region, action: 'list the instance blueprints', operation: 'GetBlueprints', idempotent: true },
        (c) => c.send(new GetBlueprintsCommand({ pageToken })),
      );
      return { items: (out.blueprints ?? []).map(blueprintFromSdk), nextPageToken: out.nextPageToken };
    });
  }
}
