import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export const DOWNLOADS_PATH = '/downloads/';

interface Offered {
  file: string;
  fileName: string;
}

/**
 * Files the dashboard hands to the browser (a diagnostics archive): each in
 * a private folder of its own, served once at an unguessable address to the
 * holder of the session cookie, then removed with its folder. What is never
 * fetched goes when the server closes.
 */
export class OneTimeDownloads {
  readonly #offered = new Map<string, Offered>();

  /** The address (a path on the dashboard's origin) the file is downloaded from, once. */
  offer(file: string, fileName: string): string {
    const token = randomBytes(24).toString('base64url');
    this.#offered.set(token, { file, fileName });
    return `${DOWNLOADS_PATH}${token}`;
  }

  /** The file at that path, taken off the list and off the disk; undefined for an unknown or used address. */
  async take(pathname: string): Promise<{ body: Buffer; fileName: string } | undefined> {
    if (!pathname.startsWith(DOWNLOADS_PATH)) return undefined;
    const token = pathname.slice(DOWNLOADS_PATH.length);
    const offered = this.#offered.get(token);
    if (!offered) return undefined;
    this.#offered.delete(token);
    try {
      return { body: await readFile(offered.file), fileName: offered.fileName };
    } finally {
      await removeFolder(offered.file);
    }
  }

  async close(): Promise<void> {
    const left = [...this.#offered.values()];
    this.#offered.clear();
    await Promise.all(left.map((offered) => removeFolder(offered.file)));
  }
}

function removeFolder(file: string): Promise<void> {
  return rm(dirname(file), { recursive: true, force: true });
}
