import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'installation-id';
const ID = /^[0-9a-f]{16}$/;

/**
 * This computer's Porthole, as a random id kept in the data folder: what
 * it makes in the cloud carries it (`porthole:installation`), so `doctor`
 * can tell a workspace this computer lost track of from one another
 * computer made and still uses. It says nothing about the user or machine.
 */
export function installationId(dataDir: string): string {
  const path = join(dataDir, FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const existing = readId(path);
  if (existing) return existing;
  const id = randomBytes(8).toString('hex');
  // `wx` when there is no file: when two processes start at once, the first one's id wins and the other reads it.
  // A file that holds something else is replaced.
  const flag = existsSync(path) ? 'w' : 'wx';
  try {
    writeFileSync(path, `${id}\n`, { flag, mode: 0o600 });
    return id;
  } catch (error) {
    const written = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readId(path) : undefined;
    if (written) return written;
    throw error;
  }
}

function readId(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return ID.test(text) ? text : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
