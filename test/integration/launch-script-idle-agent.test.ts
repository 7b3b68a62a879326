import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_AGENT_SCRIPT, idleConfig } from '../../src/core/provision/idle-agent.js';
import { decideIdleAction, parseIdleWarning, type IdleAction } from '../../src/core/provision/idle-decision.js';

/**
 * The idle agent's shell, run for real against files in a temp folder with
 * a chosen clock, must decide as decideIdleAction does. Times are whole
 * seconds far in the future, so the machine's own boot time (which the
 * agent also reads) is always the older sign of life.
 */
const T0 = 4_000_000_000;

interface Case {
  label: string;
  /** Seconds since the last heartbeat; undefined: no heartbeat file at all. */
  idleFor?: number;
  ssh?: boolean;
  timeoutMinutes: number;
  warningLeadMinutes?: number;
  /** Seconds before now the current warning went up. */
  warnedAgo?: number;
}

const CASES: Case[] = [
  { label: 'fresh heartbeat', idleFor: 60, timeoutMinutes: 60 },
  { label: 'just before the warning', idleFor: 54 * 60 + 59, timeoutMinutes: 60 },
  { label: 'at the warning', idleFor: 55 * 60, timeoutMinutes: 60 },
  { label: 'warned, before the stop', idleFor: 59 * 60, timeoutMinutes: 60, warnedAgo: 4 * 60 },
  { label: 'warned, at the stop', idleFor: 60 * 60, timeoutMinutes: 60, warnedAgo: 5 * 60 },
  { label: 'long idle, never warned', idleFor: 5 * 3600, timeoutMinutes: 60 },
  { label: 'long idle, warned 30 s ago', idleFor: 5 * 3600, timeoutMinutes: 60, warnedAgo: 30 },
  { label: 'long idle, warned 60 s ago', idleFor: 5 * 3600, timeoutMinutes: 60, warnedAgo: 60 },
  { label: 'idle but an SSH session is open', idleFor: 5 * 3600, timeoutMinutes: 60, ssh: true, warnedAgo: 600 },
  { label: 'stale warning after use resumed', idleFor: 10, timeoutMinutes: 60, warnedAgo: 300 },
  { label: 'idle stop turned off', idleFor: 50 * 3600, timeoutMinutes: 0 },
  { label: 'lead longer than the timeout', idleFor: 30, timeoutMinutes: 3, warningLeadMinutes: 10 },
  { label: 'short timeout, stop', idleFor: 200, timeoutMinutes: 3, warningLeadMinutes: 1, warnedAgo: 70 },
];

describe('idle agent (shell) against decideIdleAction', () => {
  let dir: string;
  let agent: string;
  let sshListener: Server;
  let sshPort: number;
  let sshClient: Socket;
  let idlePort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-idle-'));
    agent = join(dir, 'idle-agent');
    await writeFile(agent, IDLE_AGENT_SCRIPT, { mode: 0o755 });
    // A real open TCP connection stands for an SSH session: the agent counts established connections on the port.
    sshListener = createServer(() => undefined);
    await new Promise<void>((resolve) => sshListener.listen(0, '127.0.0.1', resolve));
    sshPort = (sshListener.address() as { port: number }).port;
    sshClient = connect(sshPort, '127.0.0.1');
    await new Promise<void>((resolve) => sshClient.once('connect', () => resolve()));
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    idlePort = (idle.address() as { port: number }).port;
    idle.close();
  });
  afterAll(async () => {
    sshClient.destroy();
    sshListener.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const caseDir = await mkdtemp(join(dir, 'case-'));
    const heartbeat = join(caseDir, 'heartbeat');
    const config = join(caseDir, 'idle.conf');
    const marker = join(caseDir, 'idle-warning');
    const poweredOff = join(caseDir, 'powered-off');
    const now = T0;
    const bootTime = Number(/^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8'))![1]);
    if (c.idleFor !== undefined) {
      await writeFile(heartbeat, '');
      await utimes(heartbeat, now - c.idleFor, now - c.idleFor);
    }
    await writeFile(config, idleConfig(c.timeoutMinutes, c.warningLeadMinutes));
    const warnedAt = c.warnedAgo === undefined ? undefined : now - c.warnedAgo;
    if (warnedAt !== undefined) await writeFile(marker, `stop-at ${now}\nwarned-at ${warnedAt}\n`);

    const run = spawnSync('bash', [agent], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        NOW: String(now),
        HEARTBEAT_FILE: heartbeat,
        IDLE_CONFIG: config,
        IDLE_WARNING_FILE: marker,
        SSH_PORT: String(c.ssh ? sshPort : idlePort),
        POWEROFF_CMD: `touch ${poweredOff}`,
      },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    const expected = decideIdleAction({
      now: now * 1000,
      lastHeartbeat: Math.max(c.idleFor === undefined ? 0 : (now - c.idleFor) * 1000, bootTime * 1000),
      sshSessions: c.ssh ? 1 : 0,
      timeoutMinutes: c.timeoutMinutes,
      warningLeadMinutes: c.warningLeadMinutes ?? 5,
      ...(warnedAt !== undefined ? { warnedAt: warnedAt * 1000 } : {}),
    });
    expect(await observed(marker, poweredOff, warnedAt ?? now)).toEqual(expected);
  });

  it('has cases for every decision: none, warn and stop', () => {
    const actions = CASES.map((c) =>
      decideIdleAction({
        now: T0 * 1000,
        lastHeartbeat: (T0 - (c.idleFor ?? T0)) * 1000,
        sshSessions: c.ssh ? 1 : 0,
        timeoutMinutes: c.timeoutMinutes,
        warningLeadMinutes: c.warningLeadMinutes ?? 5,
        ...(c.warnedAgo !== undefined ? { warnedAt: (T0 - c.warnedAgo) * 1000 } : {}),
      }).action,
    );
    expect(new Set(actions)).toEqual(new Set(['none', 'warn', 'stop']));
  });

  it('measures idleness from boot when code-server has never beaten', async () => {
    const caseDir = await mkdtemp(join(dir, 'boot-'));
    const marker = join(caseDir, 'idle-warning');
    const config = join(caseDir, 'idle.conf');
    await writeFile(config, idleConfig(60));
    const bootTime = Number(/^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8'))![1]);
    const env = { PATH: process.env.PATH, HEARTBEAT_FILE: join(caseDir, 'none'), IDLE_CONFIG: config, IDLE_WARNING_FILE: marker, SSH_PORT: String(idlePort), POWEROFF_CMD: 'false' };
    expect(spawnSync('bash', [join(dir, 'idle-agent')], { env: { ...env, NOW: String(bootTime + 54 * 60) } }).status).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(spawnSync('bash', [join(dir, 'idle-agent')], { env: { ...env, NOW: String(bootTime + 56 * 60) } }).status).toBe(0);
    expect(parseIdleWarning(await readFile(marker, 'utf8'))).toEqual({ stopAt: (bootTime + 3600) * 1000, warnedAt: (bootTime + 56 * 60) * 1000 });
  });
});

/** What the agent did, in decideIdleAction's terms. */
async function observed(marker: string, poweredOff: string, warnedAt: number): Promise<IdleAction> {
  if (existsSync(poweredOff)) return { action: 'stop' };
  if (!existsSync(marker)) return { action: 'none' };
  const warning = parseIdleWarning(await readFile(marker, 'utf8'));
  if (!warning) throw new Error('the idle agent wrote an unreadable warning marker');
  expect(warning.warnedAt).toBe(warnedAt * 1000);
  return { action: 'warn', stopAt: warning.stopAt };
}
