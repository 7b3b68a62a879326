import type { Bundle, Tags } from '../cloud/model.js';
import { INSTALLATION_TAG, isPortholeManaged, WORKSPACE_TAG } from '../cloud/porthole-tags.js';
import { isImageSnapshot } from './images.js';
import type { RegionInventory } from './leak-sweep.js';
import { SNAPSHOT_USD_PER_GB_MONTH, UNATTACHED_STATIC_IP_USD_PER_MONTH } from './workspace-cost.js';
import { workspaceOfStaticIp } from './workspace-resources.js';

/**
 * A workspace Porthole on another computer made, which this computer has no
 * record of: not a leak (someone may be using it there), so doctor lists
 * it apart and the sweep never touches it.
 */
export interface WorkspaceMadeElsewhere {
  account: string;
  region: string;
  name: string;
  /** The other computer's installation id, from the `porthole:installation` tag. */
  installation: string;
  /** What it holds, e.g. "instance demo", "snapshot demo-hibernated-…", "static IP porthole-demo". */
  resources: string[];
  monthlyUsd: number;
}

/**
 * The region's workspaces whose instance or snapshots carry another
 * installation's tag and which have no record here. Resources made before
 * the tag existed carry none, and are judged as before.
 */
export function workspacesMadeElsewhere(input: {
  account: string;
  inventory: RegionInventory;
  installation: string | undefined;
  bundles: readonly Bundle[];
  /** Whether the workspace has a record on this computer, or an operation of this computer's under way. */
  isKnownHere: (workspace: string) => boolean;
}): WorkspaceMadeElsewhere[] {
  const { account, inventory, installation } = input;
  if (installation === undefined) return [];
  const found = new Map<string, WorkspaceMadeElsewhere>();
  const elsewhereOf = (tags: Tags): WorkspaceMadeElsewhere | undefined => {
    const workspace = isPortholeManaged(tags) ? tags[WORKSPACE_TAG] : undefined;
    const madeBy = tags[INSTALLATION_TAG];
    if (workspace === undefined || madeBy === undefined || madeBy === installation || input.isKnownHere(workspace)) return undefined;
    const entry = found.get(workspace) ?? { account, region: inventory.region, name: workspace, installation: madeBy, resources: [], monthlyUsd: 0 };
    found.set(workspace, entry);
    return entry;
  };
  for (const instance of inventory.instances) {
    if (instance.state === 'terminated') continue;
    const entry = elsewhereOf(instance.tags);
    if (!entry) continue;
    entry.resources.push(`instance ${instance.name}`);
    entry.monthlyUsd += input.bundles.find((b) => b.id === instance.bundleId)?.priceMonthlyUsd ?? 0;
  }
  for (const snapshot of inventory.snapshots) {
    if (isImageSnapshot(snapshot)) continue;
    const entry = elsewhereOf(snapshot.tags);
    if (!entry) continue;
    entry.resources.push(`snapshot ${snapshot.name}`);
    entry.monthlyUsd += (snapshot.sizeInGb ?? 0) * SNAPSHOT_USD_PER_GB_MONTH;
  }
  // Static IPs cannot be tagged: one named for such a workspace is that workspace's.
  for (const staticIp of inventory.staticIps) {
    const entry = found.get(workspaceOfStaticIp(staticIp.name) ?? '');
    if (!entry) continue;
    entry.resources.push(`static IP ${staticIp.name}`);
    if (!staticIp.isAttached) entry.monthlyUsd += UNATTACHED_STATIC_IP_USD_PER_MONTH;
  }
  return [...found.values()].map((entry) => ({ ...entry, monthlyUsd: Math.round(entry.monthlyUsd * 100) / 100 }));
}
