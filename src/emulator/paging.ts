import { invalidInput } from './lightsail-error.js';

/**
 * Page tokens are opaque to callers; inside they hold the last key already
 * returned, so a listing stays consistent while resources come and go.
 */
export function encodePageToken(after: string | number): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string | undefined): string | number | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string' || typeof after === 'number') return after;
  } catch {
    // Falls through to the same complaint as a token of the wrong shape.
  }
  throw invalidInput(`The page token '${token}' is not valid. Pass the nextPageToken of a previous response unchanged.`);
}

/** One page of sorted names, starting after the token's key. */
export function pageOfNames(sorted: readonly string[], token: string | undefined, size: number): { names: string[]; nextPageToken?: string } {
  const after = decodePageToken(token);
  const start = typeof after === 'string' ? upperBound(sorted, after) : 0;
  const names = sorted.slice(start, start + size);
  const last = names[names.length - 1];
  return start + size < sorted.length && last !== undefined ? { names, nextPageToken: encodePageToken(last) } : { names };
}

function upperBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Paging over a fixed list, such as the catalogue, where the position is a stable key. */
export function pageOfList<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; nextPageToken?: string } {
  const after = decodePageToken(token);
  const start = typeof after === 'number' ? after : 0;
  const end = start + size;
  return end < items.length ? { items: items.slice(start, end), nextPageToken: encodePageToken(end) } : { items: items.slice(start, end) };
}
