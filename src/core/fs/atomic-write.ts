import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessRunning } from './process-running.js';

export interface AtomicWriteOptions {
  /** Permissions of a newly written file; Porthole's state is the user's alone. */
  mode?: number;
}

/**
 * Replaces `path` so that a crash or a kill at any moment leaves either the
 * old content or the new, never a torn file: the data goes to a temporary
 * file in the same directory (rename is atomic only within one file system),
 * is flushed to disk before the rename, and the directory is flushed after
 * it so the rename itself survives a power cut.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  { mode = 0o600 }: AtomicWriteOptions = {},
): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    const file = await open(temporary, 'wx', mode);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * Deletes temporary files a killed writer of `path` left behind. A writer
 * still alive (another Porthole process) keeps its file.
 */
export async function removeStaleTemporaryFiles(path: string): Promise<void> {
  const directory = dirname(path);
  const prefix = `.${basename(path)}.`;
  const names = await readdir(directory).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (pid === process.pid || isProcessRunning(pid)) continue;
    await unlink(join(directory, name)).catch(() => undefined);
  }
}

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for flushing, and NTFS journals the rename anyway.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
