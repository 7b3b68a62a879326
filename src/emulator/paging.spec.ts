import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageOfList, pageOfNames } from './paging.js';

describe('pageOfNames', () => {
  it('returns every name once, in order, whatever the page size', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 })), fc.integer({ min: 1, max: 7 }), (names, size) => {
        const sorted = [...names].sort();
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = pageOfNames(sorted, token, size);
          expect(page.names.length).toBeLessThanOrEqual(size);
          seen.push(...page.names);
          token = page.nextPageToken;
        } while (token);
        expect(seen).toEqual(sorted);
      }),
    );
  });

  it('carries on after the last name even when names were removed in between', () => {
    const first = pageOfNames(['a', 'b', 'c', 'd'], undefined, 2);
    expect(pageOfNames(['a', 'c', 'd'], first.nextPageToken, 2).names).toEqual(['c', 'd']);
  });

  it('refuses a token it did not make', () => {
    expect(() => pageOfNames(['a'], 'not-a-token', 2)).toThrow(/page token/);
  });
});

describe('pageOfList', () => {
  it('pages a fixed list by position', () => {
    const first = pageOfList([1, 2, 3], undefined, 2);
    expect(first.items).toEqual([1, 2]);
    expect(pageOfList([1, 2, 3], first.nextPageToken, 2)).toEqual({ items: [3] });
  });
});
