import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'porthole_ui';

/**
 * The one-time token printed in the URL, and the session it is exchanged
 * for (as Jupyter does): the token works once, then lives only as an
 * HttpOnly cookie the page's scripts cannot read, so a URL left in a shell's
 * history or a browser's address bar opens nothing.
 */
export class UiSession {
  readonly token = randomBytes(24).toString('base64url');
  readonly #session = randomBytes(32).toString('base64url');
  #tokenUsed = false;

  /** The session for a valid unused token, once; undefined otherwise. */
  exchange(token: string | null): string | undefined {
    if (this.#tokenUsed || token === null || !sameSecret(token, this.token)) return undefined;
    this.#tokenUsed = true;
    return this.#session;
  }

  accepts(cookieHeader: string | undefined): boolean {
    const value = cookieValue(cookieHeader, SESSION_COOKIE);
    return value !== undefined && sameSecret(value, this.#session);
  }

  cookie(session: string): string {
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
