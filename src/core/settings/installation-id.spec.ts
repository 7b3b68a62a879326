import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installationId } from './installation-id.js';

describe('installationId', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-installation-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('makes a random id once, keeps it private to the user, and gives the same one afterwards', () => {
    const dir = folder();
    const id = installationId(dir);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(installationId(dir)).toBe(id);
    expect(readFileSync(join(dir, 'installation-id'), 'utf8')).toBe(`${id}\n`);
    expect(statSync(join(dir, 'installation-id')).mode & 0o777).toBe(0o600);
    expect(installationId(folder())).not.toBe(id);
  });

  it('replaces a file that does not hold an id', () => {
    const dir = folder();
    writeFileSync(join(dir, 'installation-id'), 'garbage\n');
    const id = installationId(dir);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(installationId(dir)).toBe(id);
  });
});
