import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { renderScript } from '../provision/launch-script.js';
import { instanceStatusCommand, parseInstanceStatus } from './instance-status-reader.js';

/** Runs the status command as ssh would on the instance, over a state folder (and, given one, the workspace user's home) of the test's making. */
function readState(files: Record<string, string>, workspaceHome?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-status-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const env = { PATH: process.env.PATH, PORTHOLE_STATE_DIR: dir, ...(workspaceHome ? { PORTHOLE_WORKSPACE_HOME: workspaceHome } : {}) };
    return execFileSync('sh', ['-c', instanceStatusCommand()], { env, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a launch script made of these steps with its markers in a temp folder (holding `progress` already, when given), and returns that folder's files. */
function runSteps(bodies: string[], launchId?: string, progress?: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-steps-'));
  try {
    if (progress !== undefined) writeFileSync(join(dir, 'progress'), progress);
    const script = renderScript(bodies.map((body, index) => ({ name: `step number ${index + 1}`, body })), 'test', dir, launchId);
    try {
      execFileSync('bash', ['-c', script], { stdio: 'ignore' });
    } catch {
      // A failing step is what some cases want.
    }
    const read = (name: string) => execFileSync('cat', [join(dir, name)], { encoding: 'utf8' });
    return { progress: read('progress'), 'launch.log': read('launch.log') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('reading a workspace instance status', () => {
  it('says provisioning has not begun while there are no markers', () => {
    expect(parseInstanceStatus(readState({}), 'dev')).toEqual({ provisioning: { done: false }, ports: [] });
  });

  it('reads the step the launch script is at, and done after its last step', () => {
    const running = parseInstanceStatus(readState({ progress: 'step 1 of 3 base: packages running\nstep 1 of 3 base: packages ok\nstep 2 of 3 configure code-server running\n' }), 'dev');
    expect(running.provisioning).toEqual({ done: false, step: { index: 2, total: 3, name: 'configure code-server' } });
    const done = parseInstanceStatus(readState(runSteps(['true', 'true'])), 'dev');
    expect(done.provisioning).toEqual({ done: true, step: { index: 2, total: 2, name: 'step number 2' } });
  });

  it("reads an earlier launch's finished markers, left on a disk from a snapshot, as not begun, and this launch's as they are", () => {
    const earlier = runSteps(['true', 'true'], 'first-launch').progress!;
    expect(earlier.trim().split('\n').at(-1)).toBe('launch first-launch step 2 of 2 step number 2 ok');
    expect(parseInstanceStatus(readState({ progress: earlier }), 'dev', undefined, 'second-launch').provisioning).toEqual({ done: false });
    const half = `${earlier}launch second-launch step 1 of 2 step number 1 running\n`;
    expect(parseInstanceStatus(readState({ progress: half }), 'dev', undefined, 'second-launch').provisioning).toEqual({ done: false, step: { index: 1, total: 2, name: 'step number 1' } });
    const both = runSteps(['true', 'true'], 'second-launch', earlier);
    expect(parseInstanceStatus(readState(both), 'dev', undefined, 'second-launch').provisioning).toEqual({ done: true, step: { index: 2, total: 2, name: 'step number 2' } });
    // An instance launched before markers named their launch has no launch id to ask for: its lines count as they are.
    expect(parseInstanceStatus(readState({ progress: earlier }), 'dev').provisioning.done).toBe(true);
  });

  it('turns a failed step of a real launch script into a reason naming the step and its exit status', () => {
    const status = parseInstanceStatus(readState(runSteps(['true', 'exit 7', 'true'])), 'dev');
    expect(status.provisioning.done).toBe(false);
    expect(status.provisioning.step).toEqual({ index: 2, total: 3, name: 'step number 2' });
    expect(status.provisioning.failure).toMatch(/^Provisioning failed at step 2 of 3 \(step number 2\): step step number 2 failed with exit status 7\. The instance's log is \/var\/lib\/porthole\/launch\.log\.$/);
  });

  it('reads the idle agent warning as the time the workspace stops', () => {
    const status = parseInstanceStatus(readState({ progress: 'step 3 of 3 start ok\n', 'idle-warning': 'stop-at 1800000000\nwarned-at 1799999700\n' }), 'dev');
    expect(status).toEqual({ provisioning: { done: true, step: { index: 3, total: 3, name: 'start' } }, idleStopAt: new Date(1_800_000_000_000), ports: [] });
  });

  it("reads when the box's own AWS sign-in runs out, never its token, and no token as signed out", () => {
    const home = mkdtempSync(join(tmpdir(), 'porthole-status-home-'));
    try {
      expect(parseInstanceStatus(readState({}, home), 'dev').awsSignIn).toEqual({});
      mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
      const cache = (name: string, body: object) => writeFileSync(join(home, '.aws', 'sso', 'cache', name), JSON.stringify(body, null, 4));
      // The client registration beside the token has an expiry too, months away: it is not the sign-in.
      cache('c1de.json', { clientId: 'client-1', clientSecret: 'registration-secret', expiresAt: '2027-03-04T08:26:14Z' });
      cache('cc46.json', { startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', accessToken: 'aoa-the-token', expiresAt: '2026-12-04T09:36:14Z' });
      const output = readState({}, home);
      expect(output).not.toMatch(/aoa-the-token|registration-secret/);
      expect(parseInstanceStatus(output, 'dev').awsSignIn).toEqual({ expiresAt: new Date('2026-12-04T09:36:14Z') });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("lists the ports of the state folder's own programs with their process, and none of this machine's others", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-status-'));
    const server = (env: NodeJS.ProcessEnv) => spawn(process.execPath, ['-e', 'require("node:net").createServer().listen(0, "127.0.0.1", function () { console.log(this.address().port) })'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const own = server({ PORTHOLE_STATE_DIR: dir });
    const other = server({});
    try {
      const portOf = (child: ReturnType<typeof server>) => new Promise<number>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
      const [ownPort, otherPort] = await Promise.all([portOf(own), portOf(other)]);
      const output = execFileSync('sh', ['-c', instanceStatusCommand()], { env: { PATH: process.env.PATH, PORTHOLE_STATE_DIR: dir }, encoding: 'utf8' });
      const status = parseInstanceStatus(output, 'dev');
      expect(status.ports).toEqual([{ port: ownPort, host: '127.0.0.1', process: 'node' }]);
      expect(status.ports?.some((p) => p.port === otherPort)).toBe(false);
      // The workspace's services (its code-server's port, say) are never listed.
      expect(parseInstanceStatus(output, 'dev', { ports: [ownPort], processes: [] }).ports).toEqual([]);
    } finally {
      own.kill();
      other.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses output that was cut short or a marker it does not understand', () => {
    const whole = readState({ progress: 'step 1 of 1 x ok\n' });
    let error: unknown;
    try {
      parseInstanceStatus(whole.slice(0, whole.indexOf('--- porthole end')), 'dev');
    } catch (caught) {
      error = caught;
    }
    expect(isPortholeError(error, 'network')).toBe(true);
    expect(() => parseInstanceStatus(readState({ progress: 'half a line' }), 'dev')).toThrow(/progress file of dev ends with a line Porthole does not understand/);
  });
});
