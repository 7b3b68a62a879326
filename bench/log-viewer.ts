/**
 * The dashboard's log viewer in headless Chromium: how long 50,000 lines
 * take from their arrival (as the core sends them, in batches of 5,000) to
 * the last one on screen, against 500 lines (the in-run baseline); rows in
 * the DOM for each; a jump to the top of the 50,000; and one line appended
 * while following. The page gets its contract from the bench, so the
 * figures are the viewer's, not SSH's (bench/logs.ts has those).
 *
 *   npx tsx bench/log-viewer.ts
 */
import type { Page } from 'playwright-core';
import { median, ms, percentile, report } from './support/stats.js';
import { openRendererPage } from './support/renderer-page.js';

// The functions given to page.evaluate run in the page; these are the few page globals they use.
declare const window: unknown;
declare const document: { querySelector(selector: string): { scrollTop: number } | null; querySelectorAll(selector: string): { length: number } };
declare function requestAnimationFrame(callback: (time: number) => void): number;

const RUNS = 7;
const APPENDS = 30;
const SIZES = [500, 50_000] as const;
const BATCH = 5_000;

function lines(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    source: (['provision', 'code-server', 'system'] as const)[(from + i) % 3],
    text: `2026-12-04T08:00:00Z porthole: line ${from + i + 1} of the bench log, as long as a real one tends to be`,
    at: '2026-12-04T08:00:00.000Z',
  }));
}

type BenchLine = ReturnType<typeof lines>[number];

/** In the page: the lines arrive in batches, then wait for the row of the last one and a painted frame. */
function timeLines(page: Page, batches: BenchLine[][], lastSeq: number): Promise<number> {
  return page.evaluate(
    async ({ batches, lastSeq }) => {
      const bench = (window as { __bench: { emit(e: string, p: unknown): void; stream: string } }).__bench;
      const started = performance.now();
      for (const batch of batches) bench.emit('logLines', { stream: bench.stream, lines: batch });
      while (!document.querySelector(`.log-line[data-seq="${lastSeq}"]`)) await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - started;
    },
    { batches, lastSeq },
  );
}

const { page, origin, close } = await openRendererPage({ width: 1400, height: 900 });
const render: Record<number, number[]> = {};
const rowsInDom: Record<number, number> = {};
for (const size of SIZES) {
  const all = lines(size);
  const batches = Array.from({ length: Math.ceil(size / BATCH) }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH));
  render[size] = [];
  for (let run = 0; run < RUNS; run++) {
    // A fresh page each run: going to the same address with a hash would keep the last run's lines.
    await page.goto('about:blank');
    await page.goto(`${origin}/index.html#logs?name=bench`);
    await page.getByRole('listbox', { name: 'Log lines of bench' }).waitFor();
    await page.waitForFunction(() => Boolean((window as { __bench: { stream?: string } }).__bench.stream));
    render[size].push(await timeLines(page, batches, size - 1));
  }
  rowsInDom[size] = await page.evaluate(() => document.querySelectorAll('.log-line').length);
}

// Following the 50,000: one more line, until its row shows.
const appends: number[] = [];
for (let i = 0; i < APPENDS; i++) appends.push(await timeLines(page, [lines(1, SIZES[1] + i)], SIZES[1] + i));

// From the end of the 50,000 to its top, until the first line's row is on screen.
const jumps: number[] = [];
for (let i = 0; i < APPENDS; i++) {
  jumps.push(
    await page.evaluate(async () => {
      const scroller = document.querySelector('.log-scroller')!;
      const started = performance.now();
      scroller.scrollTop = 0;
      while (!document.querySelector('.log-line[data-seq="0"]')) await new Promise((resolve) => requestAnimationFrame(resolve));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const took = performance.now() - started;
      scroller.scrollTop = 1e9;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return took;
    }),
  );
}
await close();

report('Log viewer in headless Chromium', {
  '500 lines arrive until the last is shown (median, baseline)': ms(median(render[500]!)),
  '50,000 lines arrive until the last is shown (median)': ms(median(render[50_000]!)),
  '50,000 / 500': `${(median(render[50_000]!) / median(render[500]!)).toFixed(2)}×`,
  'rows in the DOM with 500 / with 50,000 lines': `${rowsInDom[500]} / ${rowsInDom[50_000]}`,
  'one line appended to the 50,000 while following (median / p95)': `${ms(median(appends))} / ${ms(percentile(appends, 95))}`,
  'jump from the end of the 50,000 to the top (median / p95)': `${ms(median(jumps))} / ${ms(percentile(jumps, 95))}`,
});
