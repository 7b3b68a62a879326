/**
 * The desktop app's IPC path at scale: what main adds to each contract call
 * (the sender check and the dispatch with its error envelope) against
 * calling the handler directly, and the cost of carrying the 1,000-workspace
 * list across Electron IPC (the structured clone algorithm, measured with
 * Node's structuredClone) against the WebSocket path of
 * `porthole ui` (JSON) measured in the same run.
 *
 *   npx tsx bench/desktop-ipc.ts
 */
import { answerCall } from '../src/core/app/contract-dispatch.js';
import { isTrustedSender } from '../src/main/sender-policy.js';
import type { PortholeHandlers } from '../src/shared/contract.js';
import { median, percentile, report } from './support/stats.js';
import { benchWorkspaces } from './support/bench-workspaces.js';

const WORKSPACES = 1_000;
const RUNS = 400;
const rendererUrl = 'file:///opt/Porthole/resources/app.asar/out/renderer/index.html';
const workspaces = benchWorkspaces(WORKSPACES);
const handlers = { listWorkspaces: async () => workspaces } as unknown as PortholeHandlers;

/** Time of `fn` in µs per run, after a warm-up so the JIT has settled. */
async function timed(fn: () => unknown, runs = RUNS): Promise<number[]> {
  for (let i = 0; i < 50; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return samples;
}

const direct = await timed(() => handlers.listWorkspaces());
const guarded = await timed(async () => {
  if (!isTrustedSender({ url: `${rendererUrl}#/`, isMainFrame: true, webContentsId: 1 }, { webContentsId: 1, rendererUrl })) throw new Error('refused');
  const reply = await answerCall(handlers, { id: 0, call: 'listWorkspaces', request: {} });
  return reply.ok ? { ok: true, response: reply.response } : { ok: false, error: reply.error };
});
const senderChecks = await timed(() => {
  for (let i = 0; i < 1_000; i++) isTrustedSender({ url: rendererUrl, isMainFrame: true, webContentsId: 1 }, { webContentsId: 1, rendererUrl });
}, 50);
const viaJson = await timed(() => JSON.parse(JSON.stringify(workspaces)), 100);
const viaClone = await timed(() => structuredClone(workspaces), 100);

const us = (value: number) => `${value.toFixed(1)} µs`;
report(`Desktop IPC, contract call listWorkspaces with ${WORKSPACES.toLocaleString('en-US')} workspaces`, {
  'handler called directly (median, baseline)': us(median(direct)),
  'sender check + dispatch + envelope, as main answers IPC (median / p95)': `${us(median(guarded))} / ${us(percentile(guarded, 95))}`,
  'added by main per call (median)': us(median(guarded) - median(direct)),
  'sender check alone (per call)': `${((median(senderChecks) / 1_000) * 1_000).toFixed(0)} ns`,
  'list across the WebSocket path, JSON (median, baseline)': us(median(viaJson)),
  'list across Electron IPC, structured clone (median)': us(median(viaClone)),
  'structured clone / JSON': `${(median(viaClone) / median(viaJson)).toFixed(2)}×`,
  'list size as JSON': `${(JSON.stringify(workspaces).length / 1024).toFixed(0)} KiB`,
});
