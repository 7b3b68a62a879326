import { PortholeError } from '../errors.js';
import { BACKUPS_KEPT, SNAPSHOT_USD_PER_GB_MONTH } from './workspace-cost.js';

export { BACKUPS_KEPT };

export function validateBackupTime(timeOfDay: string): PortholeError | undefined {
  if (/^([01][0-9]|2[0-3]):00$/.test(timeOfDay)) return undefined;
  return new PortholeError('usage', `Backup time "${timeOfDay}" is not a whole hour.`, {
    fix: 'Give a UTC hour as HH:00, from 00:00 to 23:00 (Lightsail takes the snapshot within 45 minutes after it).',
  });
}

export function validateBackupDate(date: string): PortholeError | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  // Date rolls 2026-02-30 over to March and calls 2026-13-01 invalid; only a day that reads back the same is real.
  if (day && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(date)) return undefined;
  return new PortholeError('usage', `Backup date "${date}" is not a date.`, {
    fix: 'Give the day as YYYY-MM-DD, one of those "porthole backups NAME" lists.',
  });
}

/**
 * What one backup costs per month: Lightsail bills snapshot storage by the
 * GB-month, and a snapshot is at most the size of the disk, so this is the
 * most it can cost (later daily snapshots are often smaller, being
 * incremental).
 */
export function backupMonthlyUsd(diskSizeGb: number): number {
  return round(diskSizeGb * SNAPSHOT_USD_PER_GB_MONTH);
}

function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
