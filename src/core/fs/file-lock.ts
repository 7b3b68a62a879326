import { randomUUID } from 'node:crypto';
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PortholeError } from '../errors.js';
import { isProcessRunning } from './process-running.js';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs?: number;
}

/**
 * Runs `action` while holding `lockPath`, a file created exclusively and
 * holding the holder's pid, so that the Porthole app and each CLI command
 * can read-modify-write a shared file without losing each other's changes.
 * A lock whose holder died (killed mid-write) is taken over.
 *
 * The lock file appears whole or not at all: the holder's pid is written to
 * a file of its own first and hard-linked into place, so no waiter ever
 * finds a lock with no holder named in it.
 */
export async function withFileLock<T>(
  lockPath: string,
  action: () => Promise<T>,
  { timeoutMs = 10_000 }: FileLockOptions = {},
): Promise<T> {
  const token = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; !(await tryCreate(lockPath, token)); attempt++) {
    if (await removeAbandonedLock(lockPath)) continue;
    if (Date.now() > deadline) {
      throw new PortholeError('timeout', `Another Porthole process has held ${lockPath} for over ${Math.round(timeoutMs / 1000)} s.`, {
        fix: 'Wait for it to finish; if no other Porthole is running, delete that file.',
      });
    }
    await sleep(Math.min(attempt, 10) * (2 + Math.random() * 8));
  }
  try {
    return await action();
  } finally {
    // Only our own lock: if ours was taken over as abandoned, the file is someone else's now.
    if ((await readFile(lockPath, 'utf8').catch(() => '')) === token) await unlink(lockPath).catch(() => undefined);
  }
}

/** Deletes `lockPath`, and any lock a dead process was about to take, if its holder is no longer running; true when it did. */
export async function removeAbandonedLock(lockPath: string): Promise<boolean> {
  await removeDeadCandidates(lockPath);
  const holder = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (holder === undefined || isProcessRunning(pidOf(holder))) return false;
  // Another waiter may have taken the abandoned lock over and written its own since we read it.
  if ((await readFile(lockPath, 'utf8').catch(() => undefined)) !== holder) return false;
  await unlink(lockPath).catch(() => undefined);
  return true;
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  const candidate = `${lockPath}.${token.replace(' ', '.')}`;
  await writeFile(candidate, token, { flag: 'wx', mode: 0o600 });
  try {
    await link(candidate, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(candidate).catch(() => undefined);
  }
}

async function removeDeadCandidates(lockPath: string): Promise<void> {
  const prefix = `${basename(lockPath)}.`;
  const names = await readdir(dirname(lockPath)).catch(() => []);
  for (const name of names) {
    if (name.startsWith(prefix) && !isProcessRunning(pidOf(name.slice(prefix.length).replace('.', ' ')))) {
      await unlink(join(dirname(lockPath), name)).catch(() => undefined);
    }
  }
}

function pidOf(token: string): number {
  return Number(token.split(' ')[0]);
}
