import type { Instance, Snapshot, StaticIp } from '../cloud/model.js';
import { workspaceOf } from '../cloud/porthole-tags.js';

/** Lightsail cannot tag static IPs, so Porthole finds its own by name. */
export const STATIC_IP_PREFIX = 'porthole-';
/** Tags a snapshot made by hibernate, so resume and delete know it is the workspace's disk, not an image. */
export const PURPOSE_TAG = 'porthole:purpose';
export const HIBERNATION_PURPOSE = 'hibernate';

export function staticIpNameFor(workspace: string): string {
  return `${STATIC_IP_PREFIX}${workspace}`;
}

export function workspaceOfStaticIp(staticIpName: string): string | undefined {
  return staticIpName.startsWith(STATIC_IP_PREFIX) ? staticIpName.slice(STATIC_IP_PREFIX.length) : undefined;
}

/** A hibernation snapshot name that sorts by time and is unique per workspace. */
export function hibernationSnapshotName(workspace: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').replace('T', '-');
  return `${workspace}-hibernated-${stamp}`;
}

export function isHibernationSnapshot(snapshot: Snapshot): boolean {
  return snapshot.tags[PURPOSE_TAG] === HIBERNATION_PURPOSE;
}

/** Everything Lightsail holds for one workspace in one region. */
export interface WorkspaceResources {
  name: string;
  region: string;
  instance?: Instance;
  staticIp?: StaticIp;
  /** Hibernation snapshots, newest first. */
  snapshots: Snapshot[];
}

/**
 * Groups one region's listing by workspace. Only resources Porthole tagged
 * (and static IPs it named) count: a user's other instances are none of its
 * business. A workspace whose record names its instance has that one: while
 * a restore in place runs, a second instance carries the workspace's tag.
 * One found in the cloud alone takes the instance named like it, or else any
 * tagged for it.
 */
export function groupByWorkspace(
  region: string,
  instances: readonly Instance[],
  staticIps: readonly StaticIp[],
  snapshots: readonly Snapshot[],
  recordedInstance: (workspace: string) => string | undefined = () => undefined,
): Map<string, WorkspaceResources> {
  const byName = new Map<string, WorkspaceResources>();
  const entry = (name: string): WorkspaceResources => {
    let resources = byName.get(name);
    if (!resources) {
      resources = { name, region, snapshots: [] };
      byName.set(name, resources);
    }
    return resources;
  };
  for (const instance of instances) {
    const name = workspaceOf(instance.tags);
    if (!name) continue;
    const recorded = recordedInstance(name);
    if (recorded !== undefined ? instance.name === recorded : !entry(name).instance || instance.name === name) entry(name).instance = instance;
  }
  for (const staticIp of staticIps) {
    const name = workspaceOfStaticIp(staticIp.name);
    if (name) entry(name).staticIp = staticIp;
  }
  for (const snapshot of snapshots) {
    const name = workspaceOf(snapshot.tags);
    if (name && isHibernationSnapshot(snapshot)) entry(name).snapshots.push(snapshot);
  }
  for (const resources of byName.values()) {
    resources.snapshots.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  }
  return byName;
}
