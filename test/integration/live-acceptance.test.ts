import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRunLeaks } from '../../src/core/workspaces/leak-sweep.js';
import { regionInventory } from '../../src/core/workspaces/leak-sweeper.js';
import type { WorkspaceState } from '../../src/shared/workspace.js';
import { liveCostUsd, openLiveTarget, type LiveTarget } from '../support/live-target.js';

/**
 * One workspace through its whole life, as a user lives it: against real
 * Lightsail with `npm run test:live` (PORTHOLE_LIVE_PROFILE and
 * PORTHOLE_LIVE_REGION), and against lightsail-local in `npm test`, with the
 * same code and the same assertions.
 */
const AWS = Boolean(process.env.PORTHOLE_LIVE_PROFILE);
/** Real Lightsail takes minutes per transition and the developer layer installs Node.js; the sandbox takes seconds. */
const STEP_MS = AWS ? 20 * 60_000 : 120_000;

describe(`the live acceptance suite against ${AWS ? `Lightsail (${process.env.PORTHOLE_LIVE_REGION})` : 'lightsail-local'}`, () => {
  let t: LiveTarget;
  const onSignal = (signal: NodeJS.Signals) => {
    // Killed mid-run: clean up what this run made before going; the next run sweeps whatever this misses.
    void t
      ?.cleanUp()
      .finally(() => t.close())
      .finally(() => process.kill(process.pid, signal));
  };

  beforeAll(async () => {
    t = await openLiveTarget();
    console.log(
      `live suite run ${t.runId} on ${t.kind} ${t.region}: bundle ${t.bundle.id} ($${t.bundle.priceMonthlyUsd}/month), ` +
        `estimated cost $${liveCostUsd(t.bundle).toFixed(3)} (two instances for up to 30 minutes each, snapshots for 15); everything is tagged porthole:test-run=${t.runId}`,
    );
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }, STEP_MS);

  afterAll(async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!t) return;
    try {
      const left = await t.cleanUp();
      // The engine's own deletes took everything; the tag sweep found nothing more to remove.
      expect(left).toEqual([]);
    } finally {
      await t.close();
    }
  }, STEP_MS);

  async function settlesAs(name: string, state: WorkspaceState): Promise<void> {
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      await t.engine.refresh();
      const workspace = t.engine.list().find((w) => w.name === name);
      if (workspace?.state === state) return;
      if (workspace?.state === 'error' || Date.now() > deadline) {
        throw new Error(`${name} did not become ${state}: it is ${workspace?.state ?? 'gone'}${workspace?.reason ? ` (${workspace.reason})` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, AWS ? 10_000 : 250));
    }
  }

  it('creates a workspace with layers on the smallest bundle, and it becomes ready', { timeout: STEP_MS }, async () => {
    await t.engine.create({ name: t.names.workspace, bundleId: t.bundle.id, layers: ['developer'], idleTimeoutMinutes: 0 });
    await settlesAs(t.names.workspace, 'ready');
    const workspace = t.engine.get(t.names.workspace);
    expect({ bundle: workspace.bundleId, password: workspace.hasPassword, monthly: workspace.cost.monthlyUsd }).toEqual({ bundle: t.bundle.id, password: true, monthly: t.bundle.priceMonthlyUsd });
  });

  it('opens it through the SSH tunnel to the VS Code workbench', { timeout: STEP_MS }, async () => {
    const session = await t.access.open({ name: t.names.workspace });
    const home = await mkdtemp(join(tmpdir(), 'porthole-live-browser-'));
    const browser = await launchChromium({ home: home });
    try {
      expect(new URL(session.origin).hostname).toBe('127.0.0.1');
      const context = await browser.newContext();
      await context.addCookies(session.cookies.map(({ name, value, httpOnly, secure }) => ({ name, value, httpOnly, secure, url: session.origin })));
      const page = await context.newPage();
      await page.goto(session.url);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
      expect(new URL(page.url()).origin).toBe(session.origin);
    } finally {
      await browser.close();
      await session.release();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('stops and starts it', { timeout: 2 * STEP_MS }, async () => {
    expect((await t.engine.stop(t.names.workspace)).state).toBe('stopped');
    await t.engine.start(t.names.workspace);
    await settlesAs(t.names.workspace, 'ready');
  });

  it('hibernates it to a snapshot, costing only storage, and resumes it', { timeout: 2 * STEP_MS }, async () => {
    const hibernated = await t.engine.hibernate(t.names.workspace);
    expect(hibernated.state).toBe('hibernated');
    expect(hibernated.cost.monthlyUsd).toBeLessThan(t.bundle.priceMonthlyUsd);
    expect(hibernated.snapshotName).toMatch(new RegExp(`^${t.names.workspace}-hibernated-`));
    await t.engine.resume(t.names.workspace);
    await settlesAs(t.names.workspace, 'ready');
    expect(t.engine.get(t.names.workspace).snapshotName).toBeUndefined();
  });

  it('bakes it into an image and creates a second workspace from it, skipping the baked layer', { timeout: 2 * STEP_MS }, async () => {
    const image = await t.engine.bake(t.names.workspace, t.names.image);
    expect({ state: image.state, layers: image.layers }).toEqual({ state: 'available', layers: ['base', 'developer'] });
    const steps = await t.engine.imageSteps(t.names.image, undefined, t.region);
    expect(steps.skipped.some((step) => step.startsWith('developer'))).toBe(true);
    await t.engine.create({ name: t.names.fromImage, image: t.names.image, bundleId: t.bundle.id, idleTimeoutMinutes: 0 });
    await settlesAs(t.names.fromImage, 'ready');
  });

  it('deletes both workspaces and the image, leaving nothing tagged with the run', { timeout: 2 * STEP_MS }, async () => {
    await t.engine.delete(t.names.fromImage);
    await t.engine.delete(t.names.workspace);
    await t.engine.deleteImage(t.names.image);
    expect(t.engine.list().map((w) => w.name)).toEqual([]);
    const left = testRunLeaks(t.engine.account, await regionInventory(t.gateway, t.region), { id: t.runId, workspaces: Object.values(t.names), bundles: [t.bundle] });
    expect(left).toEqual([]);
  });
});

describe('npm run test:live', () => {
  const script = fileURLToPath(new URL('../../scripts/test-live.mjs', import.meta.url));
  const run = (env: NodeJS.ProcessEnv) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PORTHOLE_LIVE')));
    return spawnSync(process.execPath, [script], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  };

  it('refuses without an AWS profile and a region, saying what to set', () => {
    const neither = run({});
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/needs both PORTHOLE_LIVE_PROFILE \(an AWS profile from ~\/\.aws\/config\) and PORTHOLE_LIVE_REGION \(e\.g\. us-east-1\); neither is set\. Example: PORTHOLE_LIVE_PROFILE=work PORTHOLE_LIVE_REGION=eu-west-1 npm run test:live/);
    const one = run({ PORTHOLE_LIVE_PROFILE: 'work' });
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/only PORTHOLE_LIVE_PROFILE is set/);
  });
});
