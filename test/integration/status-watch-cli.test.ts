import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceStatus } from '../../src/core/workspaces/workspace-probe.js';
import type { CallCountReport } from '../../src/emulator/call-counts.js';
import { codeServerBin, until } from '../support/code-server-bin.js';
import { PORTHOLE_BIN, porthole, startSandboxEmulator } from '../support/porthole-cli.js';

const NAME = 'watched';
const REGION = 'us-east-1';
/** Each `porthole` run starts a Node process and reads the cloud; a busy machine makes that seconds. */
const SLOW = 120_000;

/** A `porthole` run that goes on until it is interrupted, its output read as it comes. */
interface LongRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Ctrl-C, then its exit code once it has ended. */
  interrupt(): Promise<number | null>;
}

function startPorthole(args: string[], env: NodeJS.ProcessEnv): LongRun {
  const child = spawn(process.execPath, [PORTHOLE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    interrupt: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/**
 * `porthole status` and `porthole ls --watch` as a user runs them, on the
 * Sandbox account whose instance runs a real sshd and code-server: the
 * status is read from the instance with one ssh run, and the watch follows
 * a stop made from another terminal without polling more than the poller's
 * own schedule, counted by lightsail-local.
 */
describe('porthole status and porthole ls --watch on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let stateDir: string;

  const calls = async () => (await (await fetch(`${emulator.endpoint}/_emulator/calls`)).json()) as CallCountReport;
  const count = (report: CallCountReport, operation: string) => report.byOperation[operation] ?? 0;
  const status = async (...args: string[]) => {
    const run = await porthole(['--json', 'status', NAME, ...args], env);
    return { code: run.code, stderr: run.stderr, status: JSON.parse(run.stdout) as WorkspaceStatus };
  };

  beforeAll(async () => {
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-status-watch-'));
    env = { PORTHOLE_HOME: join(home, 'porthole'), HOME: home };
    stateDir = join(home, 'porthole', 'sandbox', 'instances', REGION, NAME, 'state');
    emulator = await startSandboxEmulator(env, 20);
    const create = await porthole(['create', NAME, '--idle-timeout', '30'], env);
    expect(create.code, create.stderr).toBe(0);
    await until(`${NAME} to answer`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/${REGION}/${NAME}/endpoints`)).ok ? true : undefined), 90_000);
  }, 180_000);

  afterAll(async () => {
    await porthole(['delete', NAME, '--yes'], env);
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('reads a ready workspace from its instance with one ssh run, and says so in a block and as JSON', async () => {
    const before = await calls();
    const human = await porthole(['status', NAME], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^State:\s+ready$/m);
    expect(human.stdout).toMatch(/^Instance:\s+read at \d\d:\d\d:\d\d: provisioned \(all 4 launch script steps done\)$/m);
    expect(human.stdout).toMatch(/^Access:\s+SSH tunnel/m);
    expect(human.stdout).toMatch(/^IP:\s+\d+\.\d+\.\d+\.\d+$/m);
    expect(human.stdout).toMatch(/^Idle stop:\s+after 30 min idle$/m);
    // One certificate for the one ssh run.
    expect(count(await calls(), 'GetInstanceAccessDetails') - count(before, 'GetInstanceAccessDetails')).toBe(1);

    const { code, status: json } = await status();
    expect(code).toBe(0);
    expect(json).toMatchObject({ name: NAME, region: REGION, state: 'ready', bundleId: 'small_3_0', accessMode: 'tunnel', hasPassword: true });
    expect(json.instance).toMatchObject({ outcome: 'read', provisioning: { done: true, step: { index: 4, total: 4 } } });
    expect(Math.abs(Date.parse((json.instance as { at: string }).at) - Date.now())).toBeLessThan(60_000);
  }, SLOW);

  it('shows the launch script step while provisioning, and the failed step with its reason', async () => {
    const progress = join(stateDir, 'progress');
    const log = join(stateDir, 'launch.log');
    const [finishedProgress, finishedLog] = await Promise.all([readFile(progress, 'utf8'), readFile(log, 'utf8')]);
    try {
      // The markers a launch script leaves on the instance midway, and where it stopped on an error,
      // written like its finished marker (whatever else that line carries is kept).
      const finished = finishedProgress.trimEnd().split('\n').at(-1)!;
      expect(finished).toMatch(/step 4 of 4 .+ ok/);
      const marker = (step: string) => `${finished.replace(/step 4 of 4 .+ ok/, step)}\n`;
      await appendFile(progress, marker('step 2 of 4 configure code-server running'));
      const midway = await porthole(['status', NAME], env);
      expect(midway.stdout).toMatch(/^State:\s+provisioning \(step 2\/4 configure code-server\)$/m);
      expect(midway.stdout).toMatch(/^Instance:\s+read at \d\d:\d\d:\d\d: its launch script is at step 2 of 4 \(configure code-server\)$/m);
      expect((await status()).status).toMatchObject({ state: 'provisioning', provisioning: { index: 2, total: 4, step: 'configure code-server' } });

      await appendFile(progress, marker('step 3 of 4 start code-server failed'));
      await appendFile(log, '2026-12-04T10:00:00Z porthole: step 3 of 4: start code-server\n2026-12-04T10:00:01Z porthole: step start code-server failed: its code-server exited (1)\n');
      const failed = await status();
      expect(failed.status.state).toBe('error');
      expect(failed.status.reason).toMatch(/^Provisioning failed at step 3 of 4 \(start code-server\): step start code-server failed: its code-server exited \(1\)\. The instance's log is \/var\/lib\/porthole\/launch\.log\.$/);
      expect(failed.status.instance).toMatchObject({ outcome: 'read', provisioning: { done: false, step: { index: 3, name: 'start code-server' } } });
      const human = await porthole(['status', NAME], env);
      expect(human.stdout).toMatch(/^Reason:\s+Provisioning failed at step 3 of 4 \(start code-server\)/m);
      expect(human.stdout).toMatch(/^Instance:\s+read at \d\d:\d\d:\d\d: its launch script failed at step 3 of 4 \(start code-server\)$/m);
    } finally {
      await Promise.all([writeFile(progress, finishedProgress), writeFile(log, finishedLog)]);
    }
  }, SLOW);

  it('shows the idle stop time once the idle agent has warned', async () => {
    const warned = await fetch(`${emulator.endpoint}/_emulator/instances/${REGION}/${NAME}/idle-warning`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 4 }),
    });
    expect(warned.status).toBe(200);
    const { stopsAt } = (await warned.json()) as { stopsAt: string };
    const { status: json } = await status();
    expect(json).toMatchObject({ state: 'ready', idleStopAt: stopsAt });
    const stop = new Date(stopsAt);
    const clock = `${String(stop.getHours()).padStart(2, '0')}:${String(stop.getMinutes()).padStart(2, '0')}`;
    const human = await porthole(['status', NAME], env);
    expect(human.stdout).toContain(`Idle stop:       stops at ${clock} (${stopsAt}) unless it is used`);
    await rm(join(stateDir, 'idle-warning'));
  }, SLOW);

  it('with --no-probe asks the instance nothing, and says so', async () => {
    const before = await calls();
    const { code, status: json } = await status('--no-probe');
    expect(code).toBe(0);
    expect(json.state).toBe('ready');
    expect(json.instance).toEqual({ outcome: 'not-asked', why: 'no-probe', message: expect.stringContaining('--no-probe') });
    const human = await porthole(['status', NAME, '--no-probe'], env);
    expect(human.stdout).toMatch(/^Instance:\s+Its instance was not asked \(--no-probe\)/m);
    expect(count(await calls(), 'GetInstanceAccessDetails')).toBe(count(before, 'GetInstanceAccessDetails'));
  }, SLOW);

  it('names an unknown workspace and says how to find the right one, exit code 2', async () => {
    const run = await porthole(['status', 'nosuch'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('porthole: There is no workspace "nosuch" in account sandbox. Run "porthole ls" to see the workspaces, or "porthole create NAME" to make one.\n');
    const json = await porthole(['--json', 'status', 'nosuch'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { kind: 'usage', message: expect.stringContaining('There is no workspace "nosuch"') } });
  }, SLOW);

  it('ls --watch, piped, prints a line per change of a stop made in another process, and polls no more than the poller schedules', async () => {
    const watch = startPorthole(['ls', '--watch'], env);
    try {
      await until('the watch to show the workspace ready', async () => (new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${NAME} (.* -> )?ready$`, 'm').test(watch.stdout()) ? true : undefined), SLOW / 2);
      // Steady: the poller's next look is a minute away, so a quiet stretch asks Lightsail nothing.
      // The poller's last fast look (at most a second after the change) has been made by then.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const quietFrom = await calls();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect((await calls()).total).toBe(quietFrom.total);

      const stoppingFrom = Date.now();
      const stop = await porthole(['stop', NAME], env);
      expect(stop.code, stop.stderr).toBe(0);
      await until('the stopped line', async () => (watch.stdout().includes(`${NAME} stopping -> stopped`) ? true : undefined), SLOW / 2);
      expect(watch.stdout()).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${NAME} ready -> stopping`, 'm'));

      // Stopped, it is steady again: no look at the cloud until the poller's minute is up.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const settled = await calls();
      const changedForMs = Date.now() - stoppingFrom;
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect((await calls()).total).toBe(settled.total);
      // While it changed: the stop's own two listings, one when the journal showed the stop begin, then at most one a second (the poller's fast pace).
      const listings = count(settled, 'GetInstances') - count(quietFrom, 'GetInstances');
      expect(listings).toBeGreaterThanOrEqual(3);
      expect(listings).toBeLessThanOrEqual(2 + 1 + Math.ceil(changedForMs / 1_000));
    } finally {
      const code = await watch.interrupt();
      expect(code, watch.stderr()).toBe(0);
    }
    expect(watch.stderr()).toBe('');
  }, SLOW * 2);

  it('ls --watch --json prints an object per change after the first list, and Ctrl-C ends it cleanly', async () => {
    const watch = startPorthole(['--json', 'ls', '--watch'], env);
    const events = () =>
      watch
        .stdout()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { event: string; previousState?: string; workspace?: { name: string; state: string }; workspaces?: Array<{ name: string; state: string }> });
    await until('the first list', async () => (events().length > 0 ? true : undefined), SLOW / 2);
    expect(events()[0]).toMatchObject({ event: 'list', account: 'sandbox', workspaces: [{ name: NAME, state: 'stopped' }] });
    const start = await porthole(['start', NAME], env);
    expect(start.code, start.stderr).toBe(0);
    await until('the start as events', async () => (events().some((e) => e.event === 'changed' && e.previousState === 'starting') ? true : undefined), SLOW / 2);
    expect(events()).toContainEqual(expect.objectContaining({ event: 'changed', previousState: 'stopped', workspace: expect.objectContaining({ name: NAME, state: 'starting' }) }));
    expect(await watch.interrupt()).toBe(0);
    expect(watch.stderr()).toBe('');
  }, SLOW * 2);

  it('ls --watch on a terminal redraws the list in place', async () => {
    // `script` gives the watch a terminal of its own, as a person's shell would. It starts the command
    // through $SHELL; `exec` makes the watch that shell's successor, so Ctrl-C reaches the watch alone
    // (dash, without it, waits as a parent and dies of the SIGINT itself, with 130).
    const command = `exec ${[process.execPath, PORTHOLE_BIN, 'ls', '--watch'].map((part) => `'${part}'`).join(' ')}`;
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env, COLUMNS: '120', LINES: '40' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    terminal.stdout!.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => resolve(code)));
    try {
      await until('the first drawing', async () => (screen.includes('Ctrl-C to stop.') && new RegExp(`${NAME}\\s+\\w+`).test(screen) ? true : undefined), SLOW / 2);
      const stop = await porthole(['stop', NAME], env);
      expect(stop.code, stop.stderr).toBe(0);
      await until('the list redrawn with the stop', async () => (new RegExp(`\\x1b\\[\\d+A\\r\\x1b\\[J[^]*${NAME}\\s+stopped`).test(screen) ? true : undefined), SLOW / 2);
      expect(screen).toMatch(/Account sandbox, as of \d\d:\d\d:\d\d\. Ctrl-C to stop\./);
    } catch (error) {
      terminal.kill('SIGKILL');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe terminal showed:\n${screen}`);
    }
    terminal.stdin!.write('\x03');
    expect(await exited, screen).toBe(0);
  }, SLOW * 2);
});
