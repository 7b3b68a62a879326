import type { OperationKind } from '../../shared/workspace.js';
import type { Bundle, Instance, KeyPair, Snapshot, StaticIp, Tags } from '../cloud/model.js';
import { hasPortholeTag, isPortholeManaged, TEST_RUN_TAG, WORKSPACE_TAG } from '../cloud/porthole-tags.js';
import type { WorkspaceRecord } from './engine-ports.js';
import { isImageSnapshot } from './images.js';
import { stepInFlight, type JournalEntry } from './operation-journal.js';
import { canRollBack } from './restore-in-place.js';
import { SNAPSHOT_USD_PER_GB_MONTH, UNATTACHED_STATIC_IP_USD_PER_MONTH } from './workspace-cost.js';
import { workspaceOfStaticIp } from './workspace-resources.js';
import { workspacesMadeElsewhere, type WorkspaceMadeElsewhere } from './workspaces-made-elsewhere.js';
import { instanceNameOf } from './workspace-ref.js';

export type LeakKind = 'instance' | 'static-ip' | 'snapshot' | 'key-pair' | 'operation';

/**
 * What `porthole doctor --sweep` does with a leak: delete the resource, roll
 * back an interrupted create, carry another interrupted operation on to its
 * end the way Porthole's next start would, or leave it (with `fix` saying what to do).
 */
export type SweepAction = 'delete' | 'roll-back' | 'carry-on' | 'leave';

export interface Leak {
  kind: LeakKind;
  account: string;
  region: string;
  /** The resource's name; for an operation, its workspace's. */
  name: string;
  workspace?: string;
  /** Why it counts as a leak, in the user's words. */
  reason: string;
  /** What it costs per month while it stays, in USD. */
  monthlyUsd: number;
  /** When it was made (an operation: when it last moved), ISO UTC: what --older-than measures. */
  since?: string;
  operation?: { id: string; kind: OperationKind; step?: string; failure?: string };
  sweep: SweepAction;
  fix?: string;
}

/** Everything Lightsail holds in one region of one account, as listed for the sweep. */
export interface RegionInventory {
  region: string;
  instances: readonly Instance[];
  staticIps: readonly StaticIp[];
  snapshots: readonly Snapshot[];
  keyPairs: readonly KeyPair[];
}

export interface LeakQuery {
  account: string;
  inventory: RegionInventory;
  /** This account's workspace records. */
  records: readonly WorkspaceRecord[];
  /** The operations journal's unfinished entries (every account's; the others are ignored). */
  journal: readonly JournalEntry[];
  /** The region's bundles, for what a leaked instance costs. */
  bundles: readonly Bundle[];
  now: Date;
  /** Leaks younger than this are counted, not listed: a create in flight elsewhere is not a leak. */
  olderThanMs: number;
  /** Whether the process that owns the entry still runs it: then it is in flight, not interrupted. */
  isRunning: (entry: JournalEntry) => boolean;
  /** This computer's installation id: resources tagged with another one belong to that computer's workspaces. */
  installation?: string;
}

export interface LeakFindings {
  leaks: Leak[];
  /** Leaks left out for being younger than `olderThanMs`. */
  younger: number;
  /** Workspaces another computer made and this one has no record of: listed, never swept. */
  elsewhere: WorkspaceMadeElsewhere[];
}

const NO_KEY_PAIRS = 'Porthole makes no key pairs (its SSH logins are short-lived certificates), so one tagged porthole:* is left over';

/**
 * The leaks in one region: resources tagged `porthole:*` (static IPs, which
 * Lightsail cannot tag, by their `porthole-` name) that no workspace record
 * accounts for, or that the record says should be gone; and operations a
 * crash interrupted. A workspace with an operation under way is that
 * operation's business: its resources are listed with it, not one by one.
 * Untagged resources are never looked at.
 */
export function findLeaks(query: LeakQuery): LeakFindings {
  const { account, inventory } = query;
  const { region } = inventory;
  const entries = query.journal.filter((e) => e.workspace.account === account && e.workspace.region === region);
  const busy = new Set(entries.map((e) => e.workspace.name));
  const recordOf = (workspace: string | undefined) =>
    workspace === undefined ? undefined : query.records.find((r) => r.account === account && r.region === region && r.name === workspace);
  // The instance the record names: a second one tagged for the same workspace is not its instance.
  const instanceOf = (workspace: string) => {
    const record = recordOf(workspace);
    const named = record ? instanceNameOf(record) : workspace;
    return inventory.instances.find((i) => isPortholeManaged(i.tags) && i.tags[WORKSPACE_TAG] === workspace && i.name === named && i.state !== 'terminated');
  };
  const price = (bundleId: string) => query.bundles.find((b) => b.id === bundleId)?.priceMonthlyUsd ?? 0;
  const elsewhere = workspacesMadeElsewhere({ account, inventory, installation: query.installation, bundles: query.bundles, isKnownHere: (w) => busy.has(w) || recordOf(w) !== undefined });
  const madeElsewhere = new Set(elsewhere.map((w) => w.name));
  const leak = (kind: LeakKind, name: string, workspace: string | undefined, reason: string, monthlyUsd: number, since: Date | undefined): Leak => ({
    kind,
    account,
    region,
    name,
    ...(workspace !== undefined ? { workspace } : {}),
    reason,
    monthlyUsd: cents(monthlyUsd),
    ...(since ? { since: since.toISOString() } : {}),
    sweep: 'delete',
  });

  const found: Leak[] = [];
  for (const entry of entries) {
    if (!query.isRunning(entry)) found.push(operationLeak(query, entry, price));
  }
  for (const instance of inventory.instances) {
    if (!hasPortholeTag(instance.tags) || instance.state === 'terminated') continue;
    const workspace = instance.tags[WORKSPACE_TAG];
    if (workspace !== undefined && (busy.has(workspace) || madeElsewhere.has(workspace))) continue;
    const record = isPortholeManaged(instance.tags) ? recordOf(workspace) : undefined;
    if (record && instanceNameOf(record) === instance.name) continue;
    const reason = record ? `tagged for workspace "${record.name}", whose instance is "${instanceNameOf(record)}": a replaced instance left behind` : unrecorded(instance.tags);
    found.push(leak('instance', instance.name, workspace, reason, price(instance.bundleId), instance.createdAt));
  }
  for (const staticIp of inventory.staticIps) {
    const workspace = workspaceOfStaticIp(staticIp.name);
    if (workspace === undefined || busy.has(workspace) || madeElsewhere.has(workspace)) continue;
    // Held by an instance that is not this workspace's: not Porthole's to judge.
    if (staticIp.isAttached && instanceOf(workspace)?.name !== staticIp.attachedTo) continue;
    const cost = staticIp.isAttached ? 0 : UNATTACHED_STATIC_IP_USD_PER_MONTH;
    const record = recordOf(workspace);
    if (!record) {
      found.push(leak('static-ip', staticIp.name, workspace, `named for workspace "${workspace}", which has no record in this account`, cost, staticIp.createdAt));
    } else if (!record.keepsStaticIp && !instanceOf(workspace)) {
      found.push(leak('static-ip', staticIp.name, workspace, `workspace "${workspace}" was hibernated to release its static IP, but it is still allocated`, cost, staticIp.createdAt));
    }
  }
  for (const snapshot of inventory.snapshots) {
    if (!hasPortholeTag(snapshot.tags)) continue;
    const workspace = snapshot.tags[WORKSPACE_TAG];
    if (workspace !== undefined && (busy.has(workspace) || madeElsewhere.has(workspace))) continue;
    // Images are kept on purpose, whatever became of the workspace they were baked from ("porthole images").
    if (isImageSnapshot(snapshot)) continue;
    const cost = (snapshot.sizeInGb ?? 0) * SNAPSHOT_USD_PER_GB_MONTH;
    const record = isPortholeManaged(snapshot.tags) ? recordOf(workspace) : undefined;
    if (!record) {
      found.push(leak('snapshot', snapshot.name, workspace, unrecorded(snapshot.tags), cost, snapshot.createdAt));
    } else if (instanceOf(record.name)) {
      found.push(leak('snapshot', snapshot.name, workspace, `workspace "${record.name}" runs again, so its hibernation snapshot should have been deleted when it resumed`, cost, snapshot.createdAt));
    } else if (hasNewerSnapshot(inventory.snapshots, snapshot, record.name)) {
      found.push(leak('snapshot', snapshot.name, workspace, `an older hibernation snapshot of "${record.name}": resume uses only the newest`, cost, snapshot.createdAt));
    }
  }
  for (const keyPair of inventory.keyPairs) {
    if (!hasPortholeTag(keyPair.tags)) continue;
    found.push(leak('key-pair', keyPair.name, keyPair.tags[WORKSPACE_TAG], NO_KEY_PAIRS, 0, keyPair.createdAt));
  }

  const leaks: Leak[] = [];
  let younger = 0;
  for (const candidate of found) {
    const age = candidate.since === undefined ? Infinity : query.now.getTime() - Date.parse(candidate.since);
    if (query.olderThanMs > 0 && age < query.olderThanMs) younger++;
    else leaks.push(candidate);
  }
  return { leaks, younger, elsewhere };
}

/**
 * What a run of the live acceptance suite left in a region: everything it
 * tagged `porthole:test-run=<runId>`, and the static IPs of its workspaces
 * (named, since they cannot be tagged). Records play no part: the run's own
 * settings are thrown away with it.
 */
export function testRunLeaks(
  account: string,
  inventory: RegionInventory,
  run: { id: string; workspaces: readonly string[]; bundles: readonly Bundle[] },
): Leak[] {
  const runId = run.id;
  const ofRun = (tags: Tags) => tags[TEST_RUN_TAG] === runId;
  const names = new Set(run.workspaces);
  const leaks: Leak[] = [];
  const reason = `made by live test run ${runId}`;
  const add = (kind: LeakKind, name: string, tags: Tags, monthlyUsd: number, since: Date | undefined) => {
    const workspace = tags[WORKSPACE_TAG];
    if (workspace !== undefined) names.add(workspace);
    leaks.push({ kind, account, region: inventory.region, name, ...(workspace !== undefined ? { workspace } : {}), reason, monthlyUsd: cents(monthlyUsd), ...(since ? { since: since.toISOString() } : {}), sweep: 'delete' });
  };
  for (const i of inventory.instances) if (ofRun(i.tags) && i.state !== 'terminated') add('instance', i.name, i.tags, run.bundles.find((b) => b.id === i.bundleId)?.priceMonthlyUsd ?? 0, i.createdAt);
  for (const s of inventory.snapshots) if (ofRun(s.tags)) add('snapshot', s.name, s.tags, (s.sizeInGb ?? 0) * SNAPSHOT_USD_PER_GB_MONTH, s.createdAt);
  for (const k of inventory.keyPairs) if (ofRun(k.tags)) add('key-pair', k.name, k.tags, 0, k.createdAt);
  for (const ip of inventory.staticIps) {
    const workspace = workspaceOfStaticIp(ip.name);
    if (workspace !== undefined && names.has(workspace)) {
      leaks.push({ kind: 'static-ip', account, region: inventory.region, name: ip.name, workspace, reason, monthlyUsd: ip.isAttached ? 0 : UNATTACHED_STATIC_IP_USD_PER_MONTH, sweep: 'delete' });
    }
  }
  return leaks;
}

function operationLeak(query: LeakQuery, entry: JournalEntry, price: (bundleId: string) => number): Leak {
  const { inventory } = query;
  const workspace = entry.workspace.name;
  const ofWorkspace = (tags: Tags) => isPortholeManaged(tags) && tags[WORKSPACE_TAG] === workspace;
  // A restore in place holds two instances for a while, the old and the new.
  const instances = inventory.instances.filter((i) => ofWorkspace(i.tags) && i.state !== 'terminated');
  const staticIp = inventory.staticIps.find((ip) => workspaceOfStaticIp(ip.name) === workspace);
  const snapshotGb = inventory.snapshots.filter((s) => ofWorkspace(s.tags) && !isImageSnapshot(s)).reduce((sum, s) => sum + (s.sizeInGb ?? 0), 0);
  const monthlyUsd =
    instances.reduce((sum, i) => sum + price(i.bundleId), 0) + (staticIp && !staticIp.isAttached ? UNATTACHED_STATIC_IP_USD_PER_MONTH : 0) + snapshotGb * SNAPSHOT_USD_PER_GB_MONTH;
  const step = stepInFlight(entry)?.name ?? entry.steps.at(-1)?.name;
  const made = [...instances.map((i) => `instance ${i.name}`), staticIp && `static IP ${staticIp.name}`, snapshotGb > 0 && 'snapshots'].filter(Boolean).join(', ');
  const base = {
    kind: 'operation' as const,
    account: entry.workspace.account,
    region: entry.workspace.region,
    name: workspace,
    workspace,
    monthlyUsd: cents(monthlyUsd),
    since: entry.updatedAt,
    operation: { id: entry.id, kind: entry.kind, ...(step ? { step } : {}), ...(entry.failure ? { failure: entry.failure } : {}) },
  };
  const holding = made ? `; it holds ${made}` : '';
  if (entry.failure && !canRollBack(entry)) {
    return {
      ...base,
      reason: `its ${entry.kind} stopped on an error: ${entry.failure}${holding}`,
      sweep: 'leave',
      fix: `Run "porthole ${entry.kind} ${workspace}" again, or "porthole delete ${workspace}" to remove it.`,
    };
  }
  const where = step ? ` at "${step}"` : ' before its first step';
  if (entry.kind === 'create') {
    return { ...base, reason: `its create was interrupted${where}${holding}; sweeping rolls it back`, sweep: 'roll-back' };
  }
  if (entry.failure) {
    return { ...base, reason: `its ${entry.kind} stopped on an error before the workspace left its old instance: ${entry.failure}${holding}; sweeping rolls it back`, sweep: 'roll-back' };
  }
  return { ...base, reason: `its ${entry.kind} was interrupted${where}${holding}; sweeping carries it on`, sweep: 'carry-on' };
}

function unrecorded(tags: Tags): string {
  const workspace = tags[WORKSPACE_TAG];
  if (workspace === undefined) return 'tagged porthole:* but names no workspace';
  if (!isPortholeManaged(tags)) return `tagged for workspace "${workspace}" but not marked porthole:managed, so no workspace can own it`;
  return `tagged for workspace "${workspace}", which has no record in this account`;
}

function hasNewerSnapshot(snapshots: readonly Snapshot[], snapshot: Snapshot, workspace: string): boolean {
  const at = snapshot.createdAt?.getTime() ?? 0;
  return snapshots.some(
    (other) => other !== snapshot && isPortholeManaged(other.tags) && other.tags[WORKSPACE_TAG] === workspace && !isImageSnapshot(other) && (other.createdAt?.getTime() ?? 0) > at,
  );
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
