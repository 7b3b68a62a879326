import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, UiSession } from './ui-session.js';

describe('UiSession', () => {
  it('exchanges the printed token for a session once, and never again', () => {
    const session = new UiSession();
    expect(session.token).toMatch(/^[\w-]{32}$/);
    expect(session.exchange('wrong')).toBeUndefined();
    const granted = session.exchange(session.token);
    expect(granted).toMatch(/^[\w-]{43}$/);
    expect(granted).not.toBe(session.token);
    expect(session.exchange(session.token)).toBeUndefined();
  });

  it('accepts only its own session cookie, wherever it sits in the header', () => {
    const session = new UiSession();
    const granted = session.exchange(session.token)!;
    expect(session.accepts(`theme=dark; ${SESSION_COOKIE}=${granted}; other=1`)).toBe(true);
    expect(session.accepts(`${SESSION_COOKIE}=${granted.slice(0, -1)}x`)).toBe(false);
    expect(session.accepts(`${SESSION_COOKIE}=${session.token}`)).toBe(false);
    expect(session.accepts(undefined)).toBe(false);
    expect(new UiSession().accepts(`${SESSION_COOKIE}=${granted}`)).toBe(false);
  });

  it('sets a cookie scripts cannot read and other sites do not send', () => {
    const session = new UiSession();
    expect(session.cookie('abc')).toBe(`${SESSION_COOKIE}=abc; HttpOnly; SameSite=Strict; Path=/`);
  });
});
