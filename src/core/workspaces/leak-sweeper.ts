import type { Clock } from '../cloud/clock.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { PortholeError } from '../errors.js';
import { isProcessRunning } from '../fs/process-running.js';
import type { WorkspaceRecords } from './engine-ports.js';
import { findLeaks, type Leak, type LeakFindings, type RegionInventory } from './leak-sweep.js';
import type { JournalEntry, OperationJournal } from './operation-journal.js';
import type { WorkspaceEngine } from './workspace-engine.js';
import { ignoreNotFound, waitUntilInstanceGone } from './workspace-operations.js';

export interface AccountLeakOptions {
  account: string;
  gateway: LightsailGateway;
  /** The account's configured regions; those its records and journal name are added. */
  regions: readonly string[];
  records: WorkspaceRecords;
  journal: OperationJournal;
  now: Date;
  olderThanMs: number;
  /** This computer's installation id, so another computer's workspaces are not taken for leaks. */
  installation?: string;
}

/** What one region of an account holds, listed once for the sweep. */
export async function regionInventory(gateway: LightsailGateway, region: string): Promise<RegionInventory> {
  const [instances, staticIps, snapshots, keyPairs] = await Promise.all([
    gateway.listInstances(region),
    gateway.listStaticIps(region),
    gateway.listSnapshots(region),
    gateway.listKeyPairs(region),
  ]);
  return { region, instances, staticIps, snapshots, keyPairs };
}

/** An operation whose process is still alive is in flight, not interrupted. */
export function isOperationRunning(entry: JournalEntry): boolean {
  return isProcessRunning(Number(entry.data.ownerPid));
}

/**
 * Every leak of one account, region by region: a look at the cloud, the
 * records and the journal that changes nothing (no recovery runs first, so
 * an interrupted operation shows as one).
 */
export async function listAccountLeaks(options: AccountLeakOptions): Promise<LeakFindings & { regions: string[] }> {
  const { account, gateway, journal } = options;
  const records = await options.records.list(account);
  const unfinished = journal.unfinished().filter((e) => e.workspace.account === account);
  const regions = [...new Set([...options.regions, ...records.map((r) => r.region), ...unfinished.map((e) => e.workspace.region)])].sort();
  const findings = await Promise.all(
    regions.map(async (region) => {
      const [inventory, bundles] = await Promise.all([regionInventory(gateway, region), gateway.getBundles(region)]);
      return findLeaks({ account, inventory, records, journal: unfinished, bundles, now: options.now, olderThanMs: options.olderThanMs, isRunning: isOperationRunning, ...(options.installation ? { installation: options.installation } : {}) });
    }),
  );
  return { regions, leaks: findings.flatMap((f) => f.leaks), younger: findings.reduce((sum, f) => sum + f.younger, 0), elsewhere: findings.flatMap((f) => f.elsewhere) };
}

export interface SweepParts {
  gateway: LightsailGateway;
  journal: OperationJournal;
  /** The account's engine, which rolls back or carries on interrupted operations as its own recovery does. */
  engine: WorkspaceEngine;
  clock: Clock;
  waitTimeoutMs?: number;
}

/** The order a sweep goes in: operations first (they take their own resources with them), then instances before the static IPs they hold. */
const SWEEP_ORDER: Record<Leak['kind'], number> = { operation: 0, instance: 1, 'static-ip': 2, snapshot: 3, 'key-pair': 4 };

export function sweepOrder(leaks: readonly Leak[]): Leak[] {
  return [...leaks].filter((l) => l.sweep !== 'leave').sort((a, b) => SWEEP_ORDER[a.kind] - SWEEP_ORDER[b.kind]);
}

/**
 * Removes one leak. Each removal looks at the cloud first, so sweeping
 * twice, or after the resource went by itself, does nothing more.
 */
export async function sweepLeak(leak: Leak, parts: SweepParts): Promise<void> {
  const { gateway } = parts;
  const wait = parts.waitTimeoutMs === undefined ? {} : { timeoutMs: parts.waitTimeoutMs };
  switch (leak.kind) {
    case 'operation':
      return sweepOperation(leak, parts);
    case 'instance': {
      const instance = await gateway.findInstance(leak.region, leak.name);
      if (!instance || instance.state === 'terminated') return;
      if (instance.state !== 'shutting-down') await gateway.waitForOperations(await ignoreNotFound(() => gateway.deleteInstance(leak.region, leak.name)), wait);
      return waitUntilInstanceGone(gateway, parts.clock, leak.region, leak.name, { timeoutMs: parts.waitTimeoutMs });
    }
    case 'static-ip': {
      const staticIp = await gateway.findStaticIp(leak.region, leak.name);
      if (!staticIp) return;
      if (staticIp.isAttached) await gateway.waitForOperations(await ignoreNotFound(() => gateway.detachStaticIp(leak.region, leak.name)), wait);
      await gateway.waitForOperations(await ignoreNotFound(() => gateway.releaseStaticIp(leak.region, leak.name)), wait);
      return;
    }
    case 'snapshot':
      await gateway.waitForOperations(await ignoreNotFound(() => gateway.deleteSnapshot(leak.region, leak.name)), wait);
      return;
    case 'key-pair':
      await gateway.waitForOperations(await ignoreNotFound(() => gateway.deleteKeyPair(leak.region, leak.name)), wait);
      return;
  }
}

async function sweepOperation(leak: Leak, { journal, engine }: SweepParts): Promise<void> {
  const id = leak.operation?.id;
  if (!id || !journal.entry(id)) return;
  // A failed create is what the engine's recovery rolls back; anything else it carries on.
  if (leak.sweep === 'roll-back') await journal.fail(id, 'It was interrupted, and porthole doctor --sweep rolled it back.');
  const { failed } = await engine.recover(undefined, (entry) => entry.id === id);
  if (failed.length > 0) {
    throw new PortholeError('service', `Could not ${leak.sweep === 'roll-back' ? 'roll back' : 'carry on'} the ${leak.operation?.kind} of "${leak.name}": ${failed[0]!.message}`, {
      fix: 'Run "porthole doctor --sweep" again.',
    });
  }
}
