import type { WorkspaceBackup, WorkspaceBackups } from '../../shared/workspace.js';
import type { AutoSnapshot, Instance } from '../cloud/model.js';
import { PortholeError } from '../errors.js';
import { BACKUPS_KEPT, backupMonthlyUsd, validateBackupTime } from './backup-rules.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import { ensureValid } from './workspace-name.js';
import { instanceNameOf } from './workspace-ref.js';
import { waitOptions } from './wait-options.js';

/**
 * A workspace's daily backups: Lightsail's automatic snapshots of its
 * instance. The record keeps whether they are wanted, so every new instance
 * of the workspace (a create, a resume) gets them again; the snapshots
 * themselves belong to the instance and go when it is deleted.
 */

const STATUS: Record<string, WorkspaceBackup['status']> = { Success: 'ready', InProgress: 'in-progress' };

function backupView(snapshot: AutoSnapshot, diskSizeGb: number): WorkspaceBackup {
  return {
    date: snapshot.date,
    ...(snapshot.createdAt ? { createdAt: snapshot.createdAt.toISOString() } : {}),
    status: STATUS[snapshot.status] ?? 'failed',
    monthlyUsd: backupMonthlyUsd(diskSizeGb),
  };
}

export async function readBackups(deps: EngineDependencies, record: WorkspaceRecord, diskSizeGb: number): Promise<WorkspaceBackups> {
  const base = { name: record.name, region: record.region, kept: BACKUPS_KEPT };
  const instance = await deps.gateway.findInstance(record.region, instanceNameOf(record));
  if (!instance) {
    return {
      ...base,
      enabled: record.backups !== undefined,
      ...(record.backups?.timeOfDay ? { timeOfDay: record.backups.timeOfDay } : {}),
      backups: [],
      monthlyUsd: 0,
      note: 'The workspace has no instance now (it is hibernated), so it has no backups: they were deleted with its instance. Resuming turns daily backups on again if they were on.',
    };
  }
  const backups = (await deps.gateway.listAutoSnapshots(record.region, instanceNameOf(record))).map((s) => backupView(s, diskSizeGb));
  const timeOfDay = instance.autoSnapshotTimeOfDay;
  return {
    ...base,
    enabled: timeOfDay !== undefined,
    ...(timeOfDay ? { timeOfDay } : {}),
    backups,
    monthlyUsd: Math.round(backups.reduce((sum, b) => sum + b.monthlyUsd, 0) * 100) / 100,
    inPlaceWarning: inPlaceWarning(instance, backups),
  };
}

/** The old instance goes once the new one is ready, and Lightsail deletes an instance's automatic snapshots with it. */
function inPlaceWarning(instance: Instance, backups: readonly WorkspaceBackup[]): string {
  const address = instance.isStaticIp ? `it takes over the static IP ${instance.publicIp ?? ''}` : 'the address changes (there is no static IP)';
  const lost = backups.map((b) => b.date);
  const those = lost.length === 0 ? 'no backups' : `its ${lost.length} backup${lost.length === 1 ? '' : 's'} (${lost.join(', ')})`;
  return (
    `A new instance is made from the backup; once it is ready ${address}, and the old instance is deleted with everything written since that backup ` +
    `and ${those}: Lightsail deletes an instance's automatic snapshots with it. The name and password stay.`
  );
}

export interface BackupSetting {
  enabled: boolean;
  /** A UTC hour, `HH:00`; Lightsail picks one when absent. */
  timeOfDay?: string;
}

/** Turns daily backups on or off: on the instance now, and in the record for the instances to come. */
export async function setBackups(deps: EngineDependencies, record: WorkspaceRecord, setting: BackupSetting): Promise<WorkspaceRecord> {
  if (setting.timeOfDay !== undefined) ensureValid(validateBackupTime(setting.timeOfDay));
  const next: WorkspaceRecord = { ...record };
  delete next.backups;
  if (setting.enabled) next.backups = setting.timeOfDay ? { timeOfDay: setting.timeOfDay } : {};
  if (await deps.gateway.findInstance(record.region, instanceNameOf(record))) await applyBackups(deps, next);
  await deps.records.put(next);
  return next;
}

/** Makes the instance's add-on match the record; both calls are safe to repeat. */
export async function applyBackups(deps: EngineDependencies, record: WorkspaceRecord): Promise<void> {
  const { gateway } = deps;
  const operations = record.backups
    ? await gateway.enableAutoSnapshots(record.region, instanceNameOf(record), record.backups.timeOfDay)
    : await gateway.disableAutoSnapshots(record.region, instanceNameOf(record));
  await gateway.waitForOperations(operations, waitOptions(deps));
}

/** Refuses a restore from a backup that is not there or not finished, naming the days there are. */
export async function checkRestorable(deps: EngineDependencies, source: WorkspaceRecord, date: string): Promise<void> {
  const snapshots = await deps.gateway.listAutoSnapshots(source.region, instanceNameOf(source));
  const found = snapshots.find((s) => s.date === date);
  if (found?.status === 'Success') return;
  const ready = snapshots.filter((s) => s.status === 'Success').map((s) => s.date);
  throw new PortholeError('not-found', found ? `The ${date} backup of "${source.name}" is not finished yet.` : `Workspace "${source.name}" has no backup from ${date}.`, {
    fix: ready.length > 0 ? `Restore one of: ${ready.join(', ')}.` : `It has no finished backup yet; turn them on with "porthole backups ${source.name} --enable".`,
  });
}
