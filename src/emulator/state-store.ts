import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WorldData } from './world.js';

/** The world as last written, or undefined when there is no file yet. */
export function loadState(file: string | undefined): WorldData | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const data = JSON.parse(text) as WorldData;
  if (data.version !== 1) throw new Error(`The emulator state file ${file} has version ${String(data.version)}; this emulator reads version 1.`);
  return data;
}

/**
 * Keeps the world in one JSON file. Writes are debounced so a burst of calls
 * costs one write, and atomic (temp file, fsync, rename) so a crash leaves
 * either the old state or the new one, never half of each.
 */
export class StateStore {
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    readonly file: string | undefined,
    private readonly snapshot: () => WorldData,
    private readonly debounceMs = 200,
  ) {}

  /** Called after every change; the write happens once the burst is over. */
  saveSoon(): void {
    if (!this.file || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, this.debounceMs);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.#write();
    }
    await this.#writing;
    if (this.#failure) throw this.#failure;
  }

  #write(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(this.snapshot());
    this.#writing = this.#writing.then(() => writeAtomically(file, text)).catch((error: unknown) => {
      this.#failure = error;
    });
    return this.#writing;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  // The rename itself is only durable once the directory entry is on disk.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
