import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchScript } from '../../src/core/provision/launch-script.js';
import type { WorkspaceEngine } from '../../src/core/workspaces/workspace-engine.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import type { Workspace } from '../../src/shared/workspace.js';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { TEST_ACCOUNT, TEST_REGION, engineReadingStatus, startEngineFixture, type EngineFixture } from '../support/engine-fixture.js';

const QUICK = { create: 300, start: 300, stop: 300, reboot: 300, delete: 300, snapshot: 300 };
const NAME = 'status-dev';
/** As on a real instance, sshd answers a while before the launch script begins, while the disk shows only the markers it came with. */
const BOOT_MS = 6_000;
/** One status read, ssh login included; generous, since a loaded machine makes a login take seconds. */
const READ_TIMEOUT_MS = 8_000;

/**
 * The engine reading a real sandbox instance's status over SSH: the
 * emulator's instance runs a real sshd and code-server, writes the launch
 * script's progress markers while it comes up, and runs the launch script's
 * own idle agent when asked to warn.
 */
describe('provisioning progress and idle warnings read from the instance', { timeout: 60_000 }, () => {
  let f: EngineFixture;
  let engine: WorkspaceEngine;
  let work: string;
  const events: WorkspaceEvent[] = [];
  /** Set to give the next workspace a code-server config its code-server refuses, so its provisioning fails for real. */
  let refusedConfig = false;

  beforeAll(async () => {
    const codeServer = codeServerBin();
    work = await mkdtemp(join(tmpdir(), 'porthole-status-'));
    f = await startEngineFixture({ durations: QUICK, timeScale: 1, stateFile: join(work, 'state.json'), instanceRuntime: { codeServer, dir: join(work, 'instances'), bootMs: BOOT_MS, provisionMs: 3_000 } });
    engine = await engineReadingStatus(f, work, {
      launchScript: (input) => {
        const script = launchScript(input);
        if (!refusedConfig) return script;
        if (!script.includes('\nauth: password\n')) throw new Error('the launch script no longer writes "auth: password"; update this suite');
        return script.replace('\nauth: password\n', '\nauth: bogus\n');
      },
      readTimeoutMs: READ_TIMEOUT_MS,
      status: { provisioningIntervalMs: 100, idleIntervalMs: 300 },
    });
    engine.events.subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    await f?.close();
    await rm(work, { recursive: true, force: true });
  });

  const refreshUntil = <T>(what: string, probe: (w: Workspace) => T | undefined, timeoutMs = 30_000, name = NAME) =>
    until(
      what,
      async () => {
        await engine.refresh();
        return probe(engine.get(name));
      },
      timeoutMs,
    );
  const changes = () => events.flatMap((e) => (e.type === 'workspace-changed' && e.workspace.name === NAME ? [e.workspace] : []));
  const idleWarnings = () => events.filter((e) => e.type === 'idle-warning');
  const sshdPid = async () => Number((await readFile(join(work, 'instances', TEST_REGION, NAME, 'sshd.pid'), 'utf8')).trim());

  it('shows a new workspace provisioning step by step, then ready', async () => {
    await engine.create({ name: NAME, bundleId: 'small_3_0', accessMode: 'tunnel', idleTimeoutMinutes: 30 });
    await refreshUntil('ready', (w) => (w.state === 'ready' ? true : undefined));
    const states = changes().map((w) => w.state);
    // Running is not ready: between the create and ready the markers said provisioning.
    expect(states.slice(states.indexOf('creating'))).toContain('provisioning');
    expect(states.indexOf('provisioning')).toBeLessThan(states.lastIndexOf('ready'));
    const steps = changes().flatMap((w) => (w.provisioning ? [w.provisioning] : []));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.total).toBe(4);
      expect(['apply the layers', 'configure code-server', 'start code-server', 'wait for code-server to answer']).toContain(step.step);
      expect(step.index).toBeGreaterThanOrEqual(1);
    }
    expect(steps.map((s) => s.index)).toEqual([...steps.map((s) => s.index)].sort());
    const ready = engine.get(NAME);
    expect(ready.provisioning).toBeUndefined();
    expect(ready.idleStopAt).toBeUndefined();
    // Ready means code-server answers: the tunnel endpoint the app would use is up.
    const endpoints = await fetch(`${f.emulator.endpoint}/_emulator/instances/${TEST_REGION}/${NAME}/endpoints`);
    expect(endpoints.status).toBe(200);
  });

  it('shows the idle agent warning as the stop time, with one idle-warning event', async () => {
    const asked = Date.now();
    const response = await fetch(`${f.emulator.endpoint}/_emulator/instances/${TEST_REGION}/${NAME}/idle-warning`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 4 }),
    });
    expect(response.status).toBe(200);
    const { stopsAt } = (await response.json()) as { stopsAt: string };
    expect(Math.abs(Date.parse(stopsAt) - (asked + 4 * 60_000))).toBeLessThan(5_000);
    const seen = await refreshUntil('the idle warning', (w) => w.idleStopAt);
    expect(seen).toBe(stopsAt);
    expect(engine.get(NAME).state).toBe('ready');
    // More reads of the same warning announce nothing new.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await engine.refresh();
    expect(idleWarnings()).toEqual([{ type: 'idle-warning', name: NAME, region: TEST_REGION, stopsAt, account: TEST_ACCOUNT }]);
  });

  it('keeps what it knew while the instance does not answer SSH, and drops the warning once it is gone', async () => {
    const known = engine.get(NAME);
    const pid = await sshdPid();
    // A frozen sshd accepts the connection and never speaks: the read times out.
    process.kill(pid, 'SIGSTOP');
    try {
      // A read that logged in before the freeze may still finish (or time out); only then is the instance silent.
      await new Promise((resolve) => setTimeout(resolve, READ_TIMEOUT_MS));
      await rm(join(work, 'instances', TEST_REGION, NAME, 'state', 'idle-warning'));
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await engine.refresh();
      }
      await new Promise((resolve) => setTimeout(resolve, READ_TIMEOUT_MS + 500));
      await engine.refresh();
      expect(engine.get(NAME).state).toBe('ready');
      expect(engine.get(NAME).idleStopAt).toBe(known.idleStopAt);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await refreshUntil('the warning cleared', (w) => (w.idleStopAt === undefined ? true : undefined), 20_000);
    expect(engine.get(NAME).state).toBe('ready');
    expect(idleWarnings()).toHaveLength(1);
  });

  it('shows a provisioning step that failed as an error naming the step and why', async () => {
    refusedConfig = true;
    try {
      await engine.create({ name: 'status-broken', bundleId: 'small_3_0', accessMode: 'tunnel', idleTimeoutMinutes: 30 });
    } finally {
      refusedConfig = false;
    }
    const failed = await refreshUntil('the failed step', (w) => (w.state === 'error' ? w : undefined), 30_000, 'status-broken');
    expect(failed.reason).toMatch(/^Provisioning failed at step 3 of 4 \(start code-server\): step start code-server failed: its code-server exited \(1\)/);
    expect(failed.reason).toMatch(/The instance's log is \/var\/lib\/porthole\/launch\.log\.$/);
    expect(failed.provisioning).toBeUndefined();
    // The log viewer opens a failed launch at this step.
    expect(failed.failedStep).toEqual({ index: 3, total: 4, step: 'start code-server' });
    // The workspace next to it is not affected.
    expect(engine.get(NAME).state).toBe('ready');
  });

  it('does not provision again when a provisioned workspace is stopped and started', async () => {
    const progressFile = join(work, 'instances', TEST_REGION, NAME, 'state', 'progress');
    const before = readFileSync(progressFile, 'utf8');
    await engine.stop(NAME);
    const from = events.length;
    await engine.start(NAME);
    await refreshUntil('ready again', (w) => (w.state === 'ready' ? true : undefined));
    const after = events.slice(from).flatMap((e) => (e.type === 'workspace-changed' && e.workspace.name === NAME ? [e.workspace.state] : []));
    expect(after).toContain('starting');
    // No step ran again: the markers are the first launch's, finished. (While a read has not answered yet, a young workspace may show provisioning.)
    expect(readFileSync(progressFile, 'utf8')).toBe(before);
    expect(after.at(-1)).toBe('ready');
  });

  it("shows a workspace resumed from its snapshot provisioning until its new launch has finished, though the snapshot holds the last launch's finished markers", async () => {
    await engine.hibernate(NAME);
    const progressFile = join(work, 'instances', TEST_REGION, NAME, 'state', 'progress');
    // What the instance's progress file said at each moment the workspace read as ready.
    const progressWhenReady: string[] = [];
    const unsubscribe = engine.events.subscribe((event) => {
      if (event.type === 'workspace-changed' && event.workspace.name === NAME && event.workspace.state === 'ready') progressWhenReady.push(readFileSync(progressFile, 'utf8'));
    });
    const from = events.length;
    try {
      await engine.resume(NAME);
      await refreshUntil('ready after the resume', (w) => (w.state === 'ready' ? true : undefined));
    } finally {
      unsubscribe();
    }
    const after = events.slice(from).flatMap((e) => (e.type === 'workspace-changed' && e.workspace.name === NAME ? [e.workspace.state] : []));
    expect(after).toContain('provisioning');
    expect(after.indexOf('provisioning')).toBeLessThan(after.indexOf('ready'));
    // The resumed disk holds both launches' markers: the first launch's, finished, then this one's.
    const lines = readFileSync(progressFile, 'utf8').trim().split('\n');
    const launches = [...new Set(lines.map((line) => /^launch (\S+) step /.exec(line)?.[1]))];
    expect(launches).toHaveLength(2);
    expect(lines).toContain(`launch ${launches[0]} step 4 of 4 wait for code-server to answer ok`);
    // Ready only once this launch's last step was done, never on the old launch's markers.
    expect(progressWhenReady.length).toBeGreaterThan(0);
    for (const progress of progressWhenReady) expect(progress.trim().split('\n').at(-1)).toBe(`launch ${launches[1]} step 4 of 4 wait for code-server to answer ok`);
  }, 90_000);
});
