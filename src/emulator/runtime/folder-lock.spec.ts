import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFolderLock } from './folder-lock.js';

interface Held {
  pid: number;
  start: number;
  end: number;
  said: string[];
}

/**
 * Another process taking the lock: it prints each line it is told while
 * waiting, "holding" once it has the lock, and holds it until `release`
 * exists; then prints what it saw.
 */
function holder(lock: string, release: string) {
  const script = `
    import { existsSync } from 'node:fs';
    import { withFolderLock } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'folder-lock.ts')).href)};
    const said = [];
    const held = withFolderLock(${JSON.stringify(lock)}, (line) => { said.push(line); process.stdout.write('said\\n'); }, () => {
      const start = Date.now();
      process.stdout.write('holding\\n');
      while (!existsSync(${JSON.stringify(release)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      return { pid: process.pid, start, end: Date.now(), said };
    });
    process.stdout.write(JSON.stringify(held) + '\\n');
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const printed = async (line: string) => {
    while (!output.split('\n').includes(line)) await once(child.stdout, 'data');
  };
  const exited = once(child, 'exit');
  const result = () => exited.then(() => JSON.parse(output.trim().split('\n').at(-1)!) as Held);
  return { child, printed, exited, result };
}

describe('withFolderLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a second process in only once the first is done, and says whom it waits for', async () => {
    const lock = join(dir, 'install.lock');
    const release = join(dir, 'release');
    const first = holder(lock, release);
    await first.printed('holding');
    const second = holder(lock, release);
    await second.printed('said');
    await writeFile(release, '');
    const [a, b] = await Promise.all([first.result(), second.result()]);
    expect(b.start).toBeGreaterThanOrEqual(a.end);
    expect(b.said).toEqual([`waiting for process ${a.pid}, which holds ${lock}`]);
    expect(existsSync(lock)).toBe(false);
  }, 30_000);

  it('takes over the lock of a process killed while holding it', async () => {
    const lock = join(dir, 'install.lock');
    const killed = holder(lock, join(dir, 'never'));
    await killed.printed('holding');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(lock)).toBe(true);
    const said: string[] = [];
    const started = Date.now();
    expect(withFolderLock(lock, (line) => said.push(line), () => 'done')).toBe('done');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(said).toEqual([]);
    expect(existsSync(lock)).toBe(false);
  }, 30_000);

  it('lets go of the lock when the work throws', () => {
    const lock = join(dir, 'install.lock');
    expect(() =>
      withFolderLock(lock, () => {}, () => {
        throw new Error('npm failed');
      }),
    ).toThrow('npm failed');
    expect(existsSync(lock)).toBe(false);
  });
});
