/**
 * Lightsail pages its `Get*` lists with `pageToken` / `nextPageToken` and the
 * SDK ships no paginators for them, so every list call goes through here.
 */
export interface Page<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

/** A guard against a service that keeps handing back tokens: far above any real account's resource count. */
const MAX_PAGES = 1_000;

export async function collectPages<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextPageToken } = await fetchPage(token);
    all.push(...items);
    if (!nextPageToken) return all;
    // A repeated token would loop forever and duplicate every item after it.
    if (seen.has(nextPageToken)) throw new Error(`Lightsail repeated the page token ${nextPageToken}`);
    seen.add(nextPageToken);
    token = nextPageToken;
  }
  throw new Error(`Lightsail returned more than ${MAX_PAGES} pages`);
}
