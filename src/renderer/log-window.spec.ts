import { describe, expect, it } from 'vitest';
import { atEnd, rowWindow, scrollTopFor } from './log-window';

const ROW = 18;

describe('rowWindow', () => {
  it('keeps only the rows in view and the overscan in the DOM, whatever the length of the log', () => {
    const top = rowWindow({ scrollTop: 0, height: 360 }, 50_000, ROW, 10);
    expect(top).toEqual({ first: 0, last: 31, top: 0, height: 900_000 });
    const middle = rowWindow({ scrollTop: 450_000, height: 360 }, 50_000, ROW, 10);
    expect(middle).toEqual({ first: 24_990, last: 25_031, top: 24_990 * ROW, height: 900_000 });
    expect(middle.last - middle.first).toBeLessThan(50);
  });

  it('ends at the last row at the bottom, and shows everything of a short log', () => {
    const bottom = rowWindow({ scrollTop: 900_000 - 360, height: 360 }, 50_000, ROW, 10);
    expect(bottom.last).toBe(50_000);
    expect(bottom.first).toBe(50_000 - 20 - 10);
    expect(rowWindow({ scrollTop: 0, height: 360 }, 5, ROW, 10)).toEqual({ first: 0, last: 5, top: 0, height: 90 });
    expect(rowWindow({ scrollTop: 0, height: 360 }, 0, ROW, 10)).toEqual({ first: 0, last: 0, top: 0, height: 0 });
  });

  it('shows the last rows when the scroll offset is past a list that just shrank (a filter)', () => {
    const shrunk = rowWindow({ scrollTop: 400_000, height: 360 }, 100, ROW, 10);
    expect(shrunk.last).toBe(100);
    expect(shrunk.first).toBe(100 - 20 - 10);
  });
});

describe('atEnd', () => {
  it('is true at the bottom within the slack, false once scrolled up past it', () => {
    expect(atEnd({ scrollTop: 1_640, height: 360 }, 2_000, 4)).toBe(true);
    expect(atEnd({ scrollTop: 1_637, height: 360 }, 2_000, 4)).toBe(true);
    expect(atEnd({ scrollTop: 1_600, height: 360 }, 2_000, 4)).toBe(false);
    expect(atEnd({ scrollTop: 0, height: 360 }, 100, 4)).toBe(true);
  });
});

describe('scrollTopFor', () => {
  it('puts a row in the middle of the view, clamped at both ends of the list', () => {
    expect(scrollTopFor(1_000, 50_000, ROW, 360)).toBe(1_000 * ROW - 171);
    expect(scrollTopFor(2, 50_000, ROW, 360)).toBe(0);
    expect(scrollTopFor(49_999, 50_000, ROW, 360)).toBe(900_000 - 360);
  });
});
