import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/code-server-bin.js';
import { watchJournal } from './journal-watch.js';

describe('watching the operations journal', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('calls once for a burst of replacements of the journal, and not for other files in its folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-journal-watch-'));
    const path = join(dir, 'journal.json');
    let calls = 0;
    const stop = watchJournal(path, () => (calls += 1), 50);
    try {
      await writeFile(join(dir, 'settings.json'), '{}');
      await writeFile(join(dir, 'journal.json.lock'), '1');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toBe(0);
      for (let i = 0; i < 3; i++) {
        await writeFile(`${path}.tmp`, JSON.stringify({ entries: [i] }));
        await rename(`${path}.tmp`, path);
      }
      await until('the journal change', async () => (calls > 0 ? true : undefined), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(calls).toBe(1);
    } finally {
      stop();
    }
    await writeFile(path, '{}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toBe(1);
  });
});
