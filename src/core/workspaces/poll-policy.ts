/**
 * How long the poller waits before the next refresh: a pure function so the
 * policy is tested without timers. Fast while something is changing (a change
 * shows within about a second), slow when all is steady (one listing per
 * region per minute at most), and backing off on errors and while offline.
 */
export interface PollSituation {
  changing: boolean;
  /** Consecutive failed refreshes. */
  consecutiveErrors: number;
  offline: boolean;
}

export const FAST_POLL_MS = 1_000;
export const STEADY_POLL_MS = 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

export function nextPollDelay({ changing, consecutiveErrors, offline }: PollSituation): number {
  if (offline || consecutiveErrors > 0) {
    const base = changing ? FAST_POLL_MS : STEADY_POLL_MS;
    const exponent = Math.min(Math.max(consecutiveErrors, 1), 10);
    return Math.min(base * 2 ** exponent, MAX_BACKOFF_MS);
  }
  return changing ? FAST_POLL_MS : STEADY_POLL_MS;
}
