import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCommand, openInSystemBrowser } from './system-browser.js';

describe('the system browser', () => {
  let dir: string;
  const script = async (name: string, body: string) => {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-browser-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('uses $BROWSER when set, else the desktop opener of each system', () => {
    expect(browserCommand('http://127.0.0.1:1/', { BROWSER: 'firefox' }, 'linux')).toEqual(['firefox', ['http://127.0.0.1:1/']]);
    expect(browserCommand('http://127.0.0.1:1/', {}, 'linux')[0]).toBe('xdg-open');
    expect(browserCommand('http://127.0.0.1:1/', {}, 'darwin')[0]).toBe('open');
    expect(browserCommand('http://127.0.0.1:1/', {}, 'win32')).toEqual(['cmd', ['/c', 'start', '""', 'http://127.0.0.1:1/']]);
  });

  it('hands the address to the browser as one argument', async () => {
    const seen = join(dir, 'seen');
    const browser = await script('ok-browser', `printf '%s' "$1" > '${seen}'`);
    await openInSystemBrowser('http://127.0.0.1:1/?token=a b;c', { BROWSER: browser });
    expect(await readFile(seen, 'utf8')).toBe('http://127.0.0.1:1/?token=a b;c');
  });

  it('fails, saying why, when the opener finds no browser (xdg-open with no desktop exits 3)', async () => {
    const opener = await script('no-desktop', "echo 'xdg-open: no method available for opening' >&2; exit 3");
    const failure = await openInSystemBrowser('http://127.0.0.1:1/', { BROWSER: opener }).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/exited with 3 \(xdg-open: no method available for opening\)/);
    expect((failure as Error).message).toContain('Open the address yourself');
  });

  it('fails when there is no opener at all', async () => {
    const failure = await openInSystemBrowser('http://127.0.0.1:1/', { BROWSER: join(dir, 'missing') }).catch((error: Error) => error);
    expect((failure as Error).message).toContain('is not installed');
  });

  it('counts a browser that stays open as opened', async () => {
    const browser = await script('stays-open', 'sleep 10');
    const started = Date.now();
    await openInSystemBrowser('http://127.0.0.1:1/', { BROWSER: browser });
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});
