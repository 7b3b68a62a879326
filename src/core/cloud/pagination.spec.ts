import { describe, expect, it } from 'vitest';
import { collectPages } from './pagination.js';

describe('collectPages', () => {
  it('follows nextPageToken to the last page, keeping order', async () => {
    const pages: Record<string, { items: number[]; nextPageToken?: string }> = {
      '': { items: [1, 2], nextPageToken: 'a' },
      a: { items: [3, 4], nextPageToken: 'b' },
      b: { items: [5] },
    };
    const asked: (string | undefined)[] = [];
    const all = await collectPages(async (token) => {
      asked.push(token);
      return pages[token ?? '']!;
    });
    expect(all).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'a', 'b']);
  });

  it('treats an empty token as the end', async () => {
    expect(await collectPages(async () => ({ items: ['x'], nextPageToken: '' }))).toEqual(['x']);
  });

  it('stops on a repeated token instead of looping', async () => {
    await expect(collectPages(async () => ({ items: [1], nextPageToken: 'same' }))).rejects.toThrow(/repeated the page token/);
  });
});
