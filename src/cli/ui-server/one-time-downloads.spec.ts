import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OneTimeDownloads } from './one-time-downloads.js';

async function offeredFile(name: string): Promise<{ folder: string; file: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'porthole-download-spec-'));
  const file = join(folder, name);
  await writeFile(file, 'archive bytes');
  return { folder, file };
}

describe('OneTimeDownloads', () => {
  it('serves a file once at an unguessable address, then removes it with its folder', async () => {
    const downloads = new OneTimeDownloads();
    const { folder, file } = await offeredFile('a.tar.gz');
    const url = downloads.offer(file, 'a.tar.gz');
    expect(url).toMatch(/^\/downloads\/[\w-]{32}$/);
    expect(await downloads.take('/downloads/not-it')).toBeUndefined();
    expect(await downloads.take(url)).toEqual({ body: Buffer.from('archive bytes'), fileName: 'a.tar.gz' });
    expect(existsSync(folder)).toBe(false);
    expect(await downloads.take(url)).toBeUndefined();
  });

  it('removes what was never fetched when it closes', async () => {
    const downloads = new OneTimeDownloads();
    const { folder, file } = await offeredFile('b.tar.gz');
    const url = downloads.offer(file, 'b.tar.gz');
    await downloads.close();
    expect(existsSync(folder)).toBe(false);
    expect(await downloads.take(url)).toBeUndefined();
  });
});
