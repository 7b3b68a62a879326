import { describe, expect, it } from 'vitest';
import { FAST_POLL_MS, MAX_BACKOFF_MS, STEADY_POLL_MS, nextPollDelay } from './poll-policy.js';

describe('nextPollDelay', () => {
  it('polls about once a second while a workspace is changing', () => {
    expect(nextPollDelay({ changing: true, consecutiveErrors: 0, offline: false })).toBe(FAST_POLL_MS);
  });

  it('polls once a minute when everything is steady', () => {
    expect(nextPollDelay({ changing: false, consecutiveErrors: 0, offline: false })).toBe(STEADY_POLL_MS);
  });

  it('backs off on consecutive errors, never faster than the healthy rate, capped at five minutes', () => {
    for (const changing of [true, false]) {
      let previous = nextPollDelay({ changing, consecutiveErrors: 0, offline: false });
      for (let errors = 1; errors <= 20; errors++) {
        const delay = nextPollDelay({ changing, consecutiveErrors: errors, offline: false });
        expect(delay).toBeGreaterThanOrEqual(previous);
        expect(delay).toBeLessThanOrEqual(MAX_BACKOFF_MS);
        previous = delay;
      }
      expect(previous).toBe(MAX_BACKOFF_MS);
    }
  });

  it('slows down while offline even before an error is counted', () => {
    expect(nextPollDelay({ changing: false, consecutiveErrors: 0, offline: true })).toBeGreaterThan(STEADY_POLL_MS);
    expect(nextPollDelay({ changing: true, consecutiveErrors: 0, offline: true })).toBeGreaterThan(FAST_POLL_MS);
  });
});
