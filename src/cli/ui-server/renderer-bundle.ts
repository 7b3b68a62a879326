import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from '../../core/fs/file-lock.js';
import { shippedRenderer } from '../shipped-layout.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER_OUT = join(REPO, 'out', 'renderer');
const RENDERER_CONFIG = join(REPO, 'vite.renderer.config.ts');
/** What the bundle is made from: a change in any of these makes it stale. */
const SOURCES = [join(REPO, 'src', 'renderer'), join(REPO, 'src', 'shared'), RENDERER_CONFIG];

/** Why the built renderer cannot be served as it is, or undefined when it is up to date. */
async function staleReason(): Promise<string | undefined> {
  const built = await mtime(join(RENDERER_OUT, 'index.html'));
  if (built === undefined) return 'the dashboard is not built yet';
  const newest = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
  return newest > built ? 'the dashboard sources changed since it was built' : undefined;
}

/** The built renderer to serve: the app's own when packaged; from a checkout, built with Vite when it is missing or older than its sources, saying so in one line. */
export async function ensureRendererBuilt(say: (line: string) => void): Promise<string> {
  // The packaged app ships its dashboard built, and no Vite to build one.
  const shipped = shippedRenderer();
  if (shipped) return shipped;
  await mkdir(dirname(RENDERER_OUT), { recursive: true });
  // Two Porthole processes starting at once (the app and a CLI, parallel test suites) build it once, not over each other.
  await withFileLock(
    `${RENDERER_OUT}.lock`,
    async () => {
      const reason = await staleReason();
      if (!reason) return;
      say(`Building the dashboard (${reason})…`);
      const { build } = await import('vite');
      await build({ configFile: RENDERER_CONFIG, logLevel: 'error' });
    },
    { timeoutMs: 120_000 },
  );
  return RENDERER_OUT;
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map((e) => mtime(join(e.parentPath, e.name))));
  return Math.max(info.mtimeMs, ...times.map((t) => t ?? 0));
}
