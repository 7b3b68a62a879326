import { execFile } from 'node:child_process';
import { appendFile, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface IdleWarningSetup {
  /** The idle agent's script, as the instance's launch script installs it. */
  agent: string;
  /** Where the agent keeps its own inputs for this run (config, heartbeat). */
  dir: string;
  /** The marker file: the instance's state folder, where Porthole reads it over SSH. */
  markerFile: string;
  /** Where its output goes, as the instance's idle service appends it. */
  logFile: string;
  /** The instance's sshd port: an open SSH connection counts as use, as on a real instance. */
  sshPort: number;
  minutes: number;
}

/**
 * Makes the instance's real idle agent write its warning marker with the
 * stop `minutes` from now: its config says that the workspace stops after
 * `minutes` idle and warns as early, and code-server's heartbeat is made
 * to read "last used now". The power-off it would do later is left out.
 */
export async function raiseIdleWarning(setup: IdleWarningSetup): Promise<{ stopsAt: Date } | { problem: string }> {
  const agentPath = join(setup.dir, 'idle-agent');
  const config = join(setup.dir, 'idle.conf');
  const heartbeat = join(setup.dir, 'heartbeat');
  const now = Math.floor(Date.now() / 1000);
  await writeFile(agentPath, setup.agent, { mode: 0o700 });
  await writeFile(config, `timeout_minutes=${setup.minutes}\nwarning_lead_minutes=${setup.minutes}\n`, { mode: 0o600 });
  await writeFile(heartbeat, '', { mode: 0o600 });
  await utimes(heartbeat, now, now);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NOW: String(now),
    IDLE_CONFIG: config,
    HEARTBEAT_FILE: heartbeat,
    IDLE_WARNING_FILE: setup.markerFile,
    SSH_PORT: String(setup.sshPort),
    POWEROFF_CMD: 'true',
  };
  const run = await new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile('bash', [agentPath], { env, timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}`.trim() }));
  });
  if (run.output !== '') await appendFile(setup.logFile, `${run.output}\n`, { mode: 0o644 });
  if (!run.ok) return { problem: `The idle agent failed: ${run.output || 'it printed nothing'}` };
  const marker = await readFile(setup.markerFile, 'utf8').catch(() => '');
  const stopAt = /^stop-at (\d+)$/m.exec(marker)?.[1];
  if (stopAt === undefined) {
    return { problem: 'The idle agent wrote no warning: an SSH connection to the instance is open (a tunnel counts as use). Close it and try again.' };
  }
  return { stopsAt: new Date(Number(stopAt) * 1000) };
}
