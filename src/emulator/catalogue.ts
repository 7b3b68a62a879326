/**
 * Lightsail's catalogue as the emulator sells it: the regions with their
 * zones, and the Linux blueprints and bundles a workspace can be built from,
 * at their list prices in USD.
 */
export interface RegionEntry {
  name: string;
  displayName: string;
  continentCode: string;
  description: string;
  zones: string[];
}

const region = (name: string, displayName: string, continentCode: string, where: string, zones: string): RegionEntry => ({
  name,
  displayName,
  continentCode,
  description: `This region is recommended to serve users in ${where}`,
  zones: zones.split('').map((z) => `${name}${z}`),
});

export const REGIONS: readonly RegionEntry[] = [
  region('us-east-1', 'Virginia', 'NA', 'the eastern United States', 'abcdef'),
  region('us-east-2', 'Ohio', 'NA', 'the eastern United States', 'abc'),
  region('us-west-2', 'Oregon', 'NA', 'the northwestern United States, Alaska, and western Canada', 'abcd'),
  region('ca-central-1', 'Montreal', 'NA', 'Canada', 'abd'),
  region('eu-west-1', 'Ireland', 'EU', 'Ireland, the United Kingdom, and Iceland', 'abc'),
  region('eu-west-2', 'London', 'EU', 'the United Kingdom and Ireland', 'abc'),
  region('eu-west-3', 'Paris', 'EU', 'France, Spain, Portugal and Western Europe', 'abc'),
  region('eu-central-1', 'Frankfurt', 'EU', 'central Europe, eastern Europe, and the Middle East', 'abc'),
  region('eu-north-1', 'Stockholm', 'EU', 'Scandinavia and northern Europe', 'abc'),
  region('ap-south-1', 'Mumbai', 'AS', 'India and South Asia', 'abc'),
  region('ap-northeast-1', 'Tokyo', 'AS', 'Japan', 'acd'),
  region('ap-northeast-2', 'Seoul', 'AS', 'South Korea', 'abcd'),
  region('ap-southeast-1', 'Singapore', 'AS', 'Southeast Asia', 'abc'),
  region('ap-southeast-2', 'Sydney', 'AU', 'Australia and New Zealand', 'abc'),
  region('ap-southeast-3', 'Jakarta', 'AS', 'Indonesia and Southeast Asia', 'abc'),
];

const regionsByName = new Map(REGIONS.map((r) => [r.name, r]));

export function findRegion(name: string): RegionEntry | undefined {
  return regionsByName.get(name);
}

export interface BlueprintEntry {
  blueprintId: string;
  name: string;
  group: string;
  version: string;
  versionCode: string;
  description: string;
  productUrl: string;
  licenseUrl: string;
  /** The login user Lightsail creates on the image. */
  username: string;
}

export const BLUEPRINTS: readonly BlueprintEntry[] = [
  {
    blueprintId: 'ubuntu_24_04',
    name: 'Ubuntu',
    group: 'ubuntu_24',
    version: '24.04 LTS',
    versionCode: '1',
    description: 'Ubuntu 24.04 LTS (Noble Numbat), a long-term support release maintained by Canonical until 2029.',
    productUrl: 'https://aws.amazon.com/marketplace/pp/prodview-a7cmn6ctpzr7a',
    licenseUrl: 'https://ubuntu.com/legal/intellectual-property-policy',
    username: 'ubuntu',
  },
  {
    blueprintId: 'ubuntu_22_04',
    name: 'Ubuntu',
    group: 'ubuntu_22',
    version: '22.04 LTS',
    versionCode: '1',
    description: 'Ubuntu 22.04 LTS (Jammy Jellyfish), a long-term support release maintained by Canonical until 2027.',
    productUrl: 'https://aws.amazon.com/marketplace/pp/prodview-f2if34z3a4e3i',
    licenseUrl: 'https://ubuntu.com/legal/intellectual-property-policy',
    username: 'ubuntu',
  },
  {
    blueprintId: 'debian_12',
    name: 'Debian',
    group: 'debian_12',
    version: '12.8',
    versionCode: '1',
    description: 'Debian 12 (Bookworm), the universal operating system, with security support until 2028.',
    productUrl: 'https://aws.amazon.com/marketplace/pp/prodview-g5rooj5oqzrw4',
    licenseUrl: 'https://www.debian.org/legal/licenses/',
    username: 'admin',
  },
  {
    blueprintId: 'amazon_linux_2023',
    name: 'Amazon Linux 2023',
    group: 'amazon_linux_2023',
    version: '2023.6.20241212.0',
    versionCode: '1',
    description: 'Amazon Linux 2023, a general purpose Linux from AWS with long-term support and a predictable release cadence.',
    productUrl: 'https://aws.amazon.com/linux/amazon-linux-2023/',
    licenseUrl: 'https://aws.amazon.com/amazon-linux-2023/license/',
    username: 'ec2-user',
  },
];

const blueprintsById = new Map(BLUEPRINTS.map((b) => [b.blueprintId, b]));

export function findBlueprint(id: string): BlueprintEntry | undefined {
  return blueprintsById.get(id);
}

export interface BundleEntry {
  bundleId: string;
  name: string;
  instanceType: string;
  /** Monthly list price in USD; Lightsail bills it at price / 730 per hour. */
  price: number;
  cpuCount: number;
  ramSizeInGb: number;
  diskSizeInGb: number;
  transferPerMonthInGb: number;
  power: number;
}

const bundle = (
  size: string,
  name: string,
  price: number,
  cpuCount: number,
  ramSizeInGb: number,
  diskSizeInGb: number,
  transferTb: number,
  power: number,
): BundleEntry => ({
  bundleId: `${size}_3_0`,
  name,
  instanceType: size,
  price,
  cpuCount,
  ramSizeInGb,
  diskSizeInGb,
  transferPerMonthInGb: transferTb * 1024,
  power,
});

export const BUNDLES: readonly BundleEntry[] = [
  bundle('nano', 'Nano', 5, 2, 0.5, 20, 1, 300),
  bundle('micro', 'Micro', 7, 2, 1, 40, 2, 500),
  bundle('small', 'Small', 12, 2, 2, 60, 3, 1000),
  bundle('medium', 'Medium', 24, 2, 4, 80, 4, 2000),
  bundle('large', 'Large', 44, 2, 8, 160, 5, 3000),
  bundle('xlarge', 'XLarge', 84, 4, 16, 320, 6, 4000),
  bundle('2xlarge', '2XLarge', 164, 8, 32, 640, 7, 5000),
];

const bundlesById = new Map(BUNDLES.map((b) => [b.bundleId, b]));

export function findBundle(id: string): BundleEntry | undefined {
  return bundlesById.get(id);
}

export const HOURS_PER_MONTH = 730;
