import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_SERVER_VERSION, checkCodeServer } from '../../src/emulator/runtime/code-server-install.js';
import { codeServerBin } from '../support/code-server-bin.js';

/**
 * A new user's machine: code-server has never run there, so the user's home
 * has no ~/.config/code-server. code-server's first run prints where it wrote
 * a default config before its version line; the install check must still
 * pass, and must leave the user's home as it was.
 */
describe('the code-server install check on a machine where code-server never ran', () => {
  let bin: string;
  let work: string;

  beforeAll(async () => {
    bin = codeServerBin();
    work = await mkdtemp(join(tmpdir(), 'porthole-first-run-'));
  }, 16 * 60_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('passes with an empty HOME and writes nothing into it', async () => {
    const home = join(work, 'home');
    const scratch = join(work, 'scratch');
    await mkdir(home);
    const env = { PATH: process.env.PATH, HOME: home };

    const line = checkCodeServer(bin, scratch, env);

    expect(line.split(' ')[0]).toBe(CODE_SERVER_VERSION);
    expect(line).toMatch(/^\S+ [0-9a-f]+ with Code /);
    expect(existsSync(join(home, '.config', 'code-server'))).toBe(false);
    expect(await readdir(home)).toEqual([]);
    // code-server's first-run config went to the check's own folders instead.
    expect(existsSync(join(scratch, 'config', 'code-server', 'config.yaml'))).toBe(true);
  });

  it('passes again on the second run, when its own folders already hold that config', () => {
    const env = { PATH: process.env.PATH, HOME: join(work, 'home') };
    expect(checkCodeServer(bin, join(work, 'scratch'), env).split(' ')[0]).toBe(CODE_SERVER_VERSION);
  });
});
