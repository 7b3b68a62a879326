import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAlive } from './processes.js';

export class FolderLockTimeout extends Error {}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The pid in a lock file; undefined while its holder is still writing it (a few milliseconds after creating it). */
function holderOf(lock: string): number | 'gone' | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) return pid;
    return Date.now() - statSync(lock).mtimeMs > 5_000 ? 'gone' : undefined;
  } catch {
    return 'gone';
  }
}

/**
 * Runs `work` while holding the lock file `lock`, waiting for whoever holds
 * it (the wait is announced once through `say`). Suites started together on
 * a cold machine, or two `porthole sandbox install` runs, would otherwise
 * write one folder at once and delete each other's files. A lock whose
 * process is gone (killed mid-install) is taken over.
 */
export function withFolderLock<T>(lock: string, say: (line: string) => void, work: () => T, timeoutMs = 15 * 60_000): T {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(lock);
    if (holder === 'gone' || (holder !== undefined && !isAlive(holder))) {
      // Renamed away first, so of two processes that both found it stale only one removes it.
      const stale = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, stale);
        rmSync(stale, { force: true });
      } catch {
        // Another waiter took it over first.
      }
      continue;
    }
    if (Date.now() > deadline) throw new FolderLockTimeout(`process ${holder ?? '?'} still holds ${lock} after ${Math.round(timeoutMs / 60_000)} minutes; if it is gone, delete that file`);
    if (!announced && holder !== undefined) say(`waiting for process ${holder}, which holds ${lock}`);
    announced ||= holder !== undefined;
    sleepSync(250);
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}
