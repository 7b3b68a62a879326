/**
 * When an idle workspace warns and when it powers off. The same rules run
 * on the instance as the idle agent's shell (idle-agent.ts); the two are
 * checked against each other on a table of cases.
 */
export type IdleAction =
  | { action: 'none' }
  /** Put up (or keep) the warning marker: the workspace stops at `stopAt`. */
  | { action: 'warn'; stopAt: number }
  | { action: 'stop' };

export interface IdleInput {
  /** Epoch milliseconds. */
  now: number;
  /** The latest sign of use (code-server's heartbeat, or boot), epoch milliseconds. */
  lastHeartbeat: number;
  /** Open SSH connections; an open tunnel means someone may be working. */
  sshSessions: number;
  /** 0 turns the idle stop off. */
  timeoutMinutes: number;
  warningLeadMinutes: number;
  /** When the current warning went up, if one is up. */
  warnedAt?: number;
}

const MINUTE = 60_000;

/** A stop is never unannounced: a warning that comes late still gets this long on screen. */
export const LATE_WARNING_GRACE_MS = MINUTE;

export function decideIdleAction({ now, lastHeartbeat, sshSessions, timeoutMinutes, warningLeadMinutes, warnedAt }: IdleInput): IdleAction {
  if (timeoutMinutes <= 0 || sshSessions > 0) return { action: 'none' };
  const stopAt = lastHeartbeat + timeoutMinutes * MINUTE;
  const warnAt = stopAt - Math.min(warningLeadMinutes, timeoutMinutes) * MINUTE;
  if (now < warnAt) return { action: 'none' };
  if (warnedAt === undefined) return { action: 'warn', stopAt: Math.max(stopAt, now + LATE_WARNING_GRACE_MS) };
  if (now < Math.max(stopAt, warnedAt + LATE_WARNING_GRACE_MS)) return { action: 'warn', stopAt: Math.max(stopAt, warnedAt + LATE_WARNING_GRACE_MS) };
  return { action: 'stop' };
}

/** The warning marker the agent writes and the tray reads: `stop-at <epoch s>` and `warned-at <epoch s>` lines. */
export interface IdleWarning {
  stopAt: number;
  warnedAt: number;
}

export function parseIdleWarning(text: string): IdleWarning | undefined {
  const field = (name: string) => {
    const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
    return match ? Number(match[1]) * 1000 : undefined;
  };
  const stopAt = field('stop-at');
  const warnedAt = field('warned-at');
  return stopAt !== undefined && warnedAt !== undefined ? { stopAt, warnedAt } : undefined;
}
