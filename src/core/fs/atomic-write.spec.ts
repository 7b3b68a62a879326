import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemporaryFiles, writeFileAtomic } from './atomic-write.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'porthole-atomic-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one, readable only by the user', async () => {
    const path = join(directory, 'state.json');
    await writeFileAtomic(path, '{"a":1}');
    await writeFileAtomic(path, '{"a":2}');
    expect(await readFile(path, 'utf8')).toBe('{"a":2}');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('leaves no temporary file behind when the write fails', async () => {
    const path = join(directory, 'occupied');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'x');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(await readdir(directory)).toEqual(['occupied']);
  });

  it('removes temporary files of dead writers and keeps its own', async () => {
    const path = join(directory, 'state.json');
    const dead = '.state.json.2147483646.aaaaaaaaaaaa.tmp';
    const own = `.state.json.${process.pid}.bbbbbbbbbbbb.tmp`;
    const unrelated = '.other.json.2147483646.cccccccccccc.tmp';
    for (const name of [dead, own, unrelated]) await writeFile(join(directory, name), 'partial');
    await removeStaleTemporaryFiles(path);
    expect((await readdir(directory)).sort()).toEqual([own, unrelated].sort());
  });

  it('always leaves a whole file when the writer is killed at a random moment', async () => {
    const path = join(directory, 'state.json');
    await writeFileAtomic(path, JSON.stringify({ round: -1, filler: '', length: 0 }));
    const writer = `
      import { writeFileAtomic } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'atomic-write.ts')).href)};
      const path = ${JSON.stringify(path)};
      for (let round = 0; ; round++) {
        const filler = 'x'.repeat(Math.floor(Math.random() * 2_000_000));
        await writeFileAtomic(path, JSON.stringify({ round, filler, length: filler.length }));
        if (round === 0) process.stdout.write('writing\\n');
      }
    `;
    let interruptedMidWrite = 0;
    for (let kill = 0; kill < 15; kill++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await once(child.stdout, 'data');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      child.kill('SIGKILL');
      await once(child, 'exit');
      const state = JSON.parse(await readFile(path, 'utf8')) as { round: number; filler: string; length: number };
      expect(state.filler.length).toBe(state.length);
      expect(state.round).toBeGreaterThanOrEqual(0);
      if ((await readdir(directory)).length > 1) interruptedMidWrite += 1;
    }
    // Proves the kills landed inside writes, not only between them.
    expect(interruptedMidWrite).toBeGreaterThan(0);
    await removeStaleTemporaryFiles(path);
    expect(await readdir(directory)).toEqual(['state.json']);
  }, 120_000);
});
