/**
 * The dashboard renderer in headless Chromium: first render and update time
 * with 1,000 workspaces against 10 (the in-run baseline), a jump through the
 * windowed list, and the bundle's gzip size. The renderer is measured alone:
 * the page gets its PortholeApi (the contract) from an in-page source that
 * hands it synthetic workspaces, as the Electron preload would hand it real
 * ones, so the figures are the page's and not the engine's.
 *
 *   npx tsx bench/renderer.ts
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Page } from 'playwright-core';
import type { WorkspaceState } from '../src/shared/workspace.js';
import { median, ms, percentile, report } from './support/stats.js';
import { benchWorkspaces } from './support/bench-workspaces.js';
import { measureTray } from './support/tray-timing.js';
import { openRendererPage } from './support/renderer-page.js';

// The functions given to page.evaluate run in the page; these are the few page globals they use.
declare const window: unknown;
declare const document: { querySelector(selector: string): { scrollTop: number } | null; body: { offsetHeight: number } };
declare function requestAnimationFrame(callback: (time: number) => void): number;

const RUNS = 9;
const UPDATES = 30;
const SIZES = [10, 1_000] as const;

/** In the page: emit, then wait until the DOM shows it and a frame has been laid out and painted. */
async function timeInPage(page: Page, event: string, payload: unknown, selector: string): Promise<number> {
  return page.evaluate(
    async ({ event, payload, selector }) => {
      const bench = (window as { __bench: { emit(e: string, p: unknown): void } }).__bench;
      const started = performance.now();
      bench.emit(event, payload);
      while (!document.querySelector(selector)) await new Promise((resolve) => setTimeout(resolve, 0));
      void document.body.offsetHeight;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - started;
    },
    { event, payload, selector },
  );
}

const { page, origin, rendererDir, close } = await openRendererPage({ width: 1400, height: 900 });

const firstRender: Record<number, number[]> = {};
const oneUpdate: Record<number, number[]> = {};
const allUpdate: Record<number, number[]> = {};
const rowsInDom: Record<number, number> = {};
for (const size of SIZES) {
  const list = benchWorkspaces(size);
  firstRender[size] = [];
  oneUpdate[size] = [];
  allUpdate[size] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${origin}/index.html`);
    await page.getByText('No workspaces yet').waitFor();
    firstRender[size].push(await timeInPage(page, 'workspacesReset', { account: 'sandbox', workspaces: list }, `table[data-workspace-count="${size}"] tr[data-workspace]`));
  }
  rowsInDom[size] = await page.locator('tr[data-workspace]').count();
  // One workspace changes state (an operation's progress, a stop): the common case.
  const first = list[0]!;
  for (let i = 0; i < UPDATES; i++) {
    const state: WorkspaceState = i % 2 === 0 ? 'stopping' : 'ready';
    oneUpdate[size].push(await timeInPage(page, 'workspaceChanged', { workspace: { ...first, state } }, `tr[data-workspace="${first.name}"][data-state="${state}"]`));
  }
  // Every workspace changes at once (a poll after the network came back): one render for the whole batch.
  for (let i = 0; i < RUNS; i++) {
    const state: WorkspaceState = i % 2 === 0 ? 'stopped' : 'ready';
    allUpdate[size].push(
      await page.evaluate(
        async ({ list, state }) => {
          const bench = (window as { __bench: { emit(e: string, p: unknown): void } }).__bench;
          const started = performance.now();
          for (const workspace of list) bench.emit('workspaceChanged', { workspace: { ...workspace, state } });
          while (!document.querySelector(`tr[data-workspace="${list[0]!.name}"][data-state="${state}"]`)) await new Promise((resolve) => setTimeout(resolve, 0));
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
          return performance.now() - started;
        },
        { list, state },
      ),
    );
  }
}

// Jumping through the 1,000: how long until the rows at a new scroll position are on screen.
const jumps: number[] = [];
for (let i = 0; i < UPDATES; i++) {
  const row = (i * 379) % 1_000;
  jumps.push(
    await page.evaluate(async (row) => {
      const scroller = document.querySelector('.table-scroller')!;
      const started = performance.now();
      scroller.scrollTop = row * 48;
      const name = `ws-${String(row).padStart(4, '0')}`;
      while (!document.querySelector(`tr[data-workspace="${name}"]`)) await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - started;
    }, row),
  );
}
// The floor of that measure: a scroll that needs no new rows, waited for the same way.
const floor: number[] = [];
for (let i = 0; i < UPDATES; i++) {
  floor.push(
    await page.evaluate(async () => {
      const started = performance.now();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - started;
    }),
  );
}
await close();

const assets = join(rendererDir, 'assets');
const files = await readdir(assets);
const sizeOf = async (ext: string) => {
  let raw = 0;
  let gzip = 0;
  for (const file of files.filter((f) => f.endsWith(ext))) {
    const body = await readFile(join(assets, file));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { raw, gzip };
};
const js = await sizeOf('.js');
const css = await sizeOf('.css');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const ratio = (figures: Record<number, number[]>) => `${(median(figures[1_000]!) / median(figures[10]!)).toFixed(2)}×`;
report('Dashboard renderer in headless Chromium', {
  'first render, 10 workspaces (median, baseline)': ms(median(firstRender[10]!)),
  'first render, 1,000 workspaces (median)': ms(median(firstRender[1_000]!)),
  'first render 1,000 / 10': ratio(firstRender),
  'one workspace changes, 10 workspaces (median, baseline)': ms(median(oneUpdate[10]!)),
  'one workspace changes, 1,000 workspaces (median)': ms(median(oneUpdate[1_000]!)),
  'one workspace changes, 1,000 (p95)': ms(percentile(oneUpdate[1_000]!, 95)),
  'one change 1,000 / 10': ratio(oneUpdate),
  'all workspaces change at once, 10 (median, baseline)': ms(median(allUpdate[10]!)),
  'all workspaces change at once, 1,000 (median)': ms(median(allUpdate[1_000]!)),
  'all change 1,000 / 10': ratio(allUpdate),
  'rows in the DOM with 10 / with 1,000 workspaces': `${rowsInDom[10]} / ${rowsInDom[1_000]}`,
  'jump to a far row in the 1,000 (median / p95)': `${ms(median(jumps))} / ${ms(percentile(jumps, 95))}`,
  'two animation frames, nothing to render (median, baseline)': ms(median(floor)),
  'jump / two frames': `${(median(jumps) / median(floor)).toFixed(2)}×`,
  'bundle JavaScript (raw / gzip)': `${kb(js.raw)} / ${kb(js.gzip)}`,
  'bundle CSS (raw / gzip)': `${kb(css.raw)} / ${kb(css.gzip)}`,
});

// The tray menu is the other view of the same list (bench/tray.ts has more).
const tray = measureTray([10, 1_000]);
report('Tray menu build (model and Electron template)', {
  'tray menu, 10 workspaces (median, baseline)': ms(tray.build[10]!.median),
  'tray menu, 1,000 workspaces (median)': ms(tray.build[1_000]!.median),
  'tray menu 1,000 / 10': `${(tray.build[1_000]!.median / tray.build[10]!.median).toFixed(2)}×`,
});
