import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { removeAbandonedLock, withFileLock } from './file-lock.js';

let directory: string;
let lockPath: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'porthole-lock-'));
  lockPath = join(directory, 'state.json.lock');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? 0;
}

describe('withFileLock', () => {
  it('lets one holder at a time in, and removes the lock after', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(lockPath, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(3);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(directory)).toEqual([]);
  });

  it('releases the lock when the action fails', async () => {
    await expect(withFileLock(lockPath, () => Promise.reject(new Error('cloud call failed')))).rejects.toThrow('cloud call failed');
    expect(await readdir(directory)).toEqual([]);
  });

  it('takes over a lock whose holder died', async () => {
    await writeFile(lockPath, `${await deadPid()} left-by-a-killed-process`);
    expect(await withFileLock(lockPath, async () => 'got it', { timeoutMs: 1_000 })).toBe('got it');
  });

  it('waits for a live holder, then says who to wait for', async () => {
    await writeFile(lockPath, `${process.ppid} held-by-a-live-process`);
    const error = await withFileLock(lockPath, async () => 'never', { timeoutMs: 200 }).catch((caught: unknown) => caught);
    expect(isPortholeError(error, 'timeout')).toBe(true);
    expect(String(error)).toContain(`Another Porthole process has held ${lockPath}`);
  });

  it('cleans up what a process killed while taking the lock left behind', async () => {
    const pid = await deadPid();
    await writeFile(`${lockPath}.${pid}.0b4f7c1e-half-taken`, `${pid} 0b4f7c1e-half-taken`);
    await writeFile(lockPath, `${pid} 0b4f7c1e-half-taken`);
    expect(await removeAbandonedLock(lockPath)).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it('leaves the lock of a live holder alone', async () => {
    await writeFile(lockPath, `${process.ppid} held-by-a-live-process`);
    expect(await removeAbandonedLock(lockPath)).toBe(false);
    expect(await readdir(directory)).toEqual(['state.json.lock']);
  });
});
