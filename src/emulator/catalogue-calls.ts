import type { Account, Call } from './account.js';
import { BLUEPRINTS, BUNDLES, REGIONS } from './catalogue.js';
import { type Input, optionalBoolean, optionalString } from './input.js';
import { pageOfList } from './paging.js';

export function getRegions(_account: Account, _call: Call, input: Input): unknown {
  const withZones = optionalBoolean(input, 'includeAvailabilityZones') ?? false;
  const withDatabaseZones = optionalBoolean(input, 'includeRelationalDatabaseAvailabilityZones') ?? false;
  const zones = (names: string[]) => names.map((zoneName) => ({ zoneName, state: 'available' }));
  return {
    regions: REGIONS.map((r) => ({
      continentCode: r.continentCode,
      description: r.description,
      displayName: r.displayName,
      name: r.name,
      availabilityZones: withZones ? zones(r.zones) : [],
      relationalDatabaseAvailabilityZones: withDatabaseZones ? zones(r.zones) : [],
    })),
  };
}

export function getBundles(account: Account, _call: Call, input: Input): unknown {
  const page = pageOfList(BUNDLES, optionalString(input, 'pageToken'), account.pageSize);
  return {
    bundles: page.items.map((b) => ({
      price: b.price,
      cpuCount: b.cpuCount,
      diskSizeInGb: b.diskSizeInGb,
      bundleId: b.bundleId,
      instanceType: b.instanceType,
      isActive: true,
      name: b.name,
      power: b.power,
      ramSizeInGb: b.ramSizeInGb,
      transferPerMonthInGb: b.transferPerMonthInGb,
      supportedPlatforms: ['LINUX_UNIX'],
      supportedAppCategories: [],
      publicIpv4AddressCount: 1,
    })),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

export function getBlueprints(account: Account, _call: Call, input: Input): unknown {
  const page = pageOfList(BLUEPRINTS, optionalString(input, 'pageToken'), account.pageSize);
  return {
    blueprints: page.items.map((b) => ({
      blueprintId: b.blueprintId,
      name: b.name,
      group: b.group,
      type: 'os',
      description: b.description,
      isActive: true,
      minPower: 0,
      version: b.version,
      versionCode: b.versionCode,
      productUrl: b.productUrl,
      licenseUrl: b.licenseUrl,
      platform: 'LINUX_UNIX',
    })),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
