import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFile } from './static-files.js';

describe('staticFile', () => {
  let base: string;
  let root: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'porthole-static-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html>');
    await writeFile(join(root, 'assets', 'index.js'), 'export {}');
    await writeFile(join(base, 'secret.txt'), 'outside');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('serves the page for / and assets with their content types', async () => {
    expect(await staticFile(root, '/')).toMatchObject({ type: 'text/html; charset=utf-8' });
    const script = await staticFile(root, '/assets/index.js');
    expect(script?.type).toBe('text/javascript; charset=utf-8');
    expect(script?.body.toString()).toBe('export {}');
  });

  it('serves nothing outside its folder, however the path is written', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%E0%A4%A', '/missing.js']) {
      expect(await staticFile(root, path), path).toBeUndefined();
    }
  });
});
