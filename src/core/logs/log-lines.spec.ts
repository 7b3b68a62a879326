import { describe, expect, it } from 'vitest';
import { LogLineSplitter, formatLogLine, mergeByTime, provisionStepOf } from './log-lines.js';

describe('LogLineSplitter', () => {
  it('keeps a line cut between chunks whole, and gives a last line without a newline at the end', () => {
    const splitter = new LogLineSplitter('provision');
    expect(splitter.push('2026-12-04T05:00:00Z porthole: st')).toEqual([]);
    expect(splitter.push('ep 1\r\nplain line\nlast')).toEqual([
      { source: 'provision', text: '2026-12-04T05:00:00Z porthole: step 1', at: '2026-12-04T05:00:00.000Z' },
      { source: 'provision', text: 'plain line' },
    ]);
    expect(splitter.end()).toEqual([{ source: 'provision', text: 'last' }]);
    expect(splitter.end()).toEqual([]);
  });

  it('with since, drops older lines and their untimed continuations, then keeps everything after', () => {
    const splitter = new LogLineSplitter('code-server', new Date('2026-12-04T05:00:00Z'));
    const lines = splitter.push(
      ['[2026-12-04T04:59:59.000Z] error old', '    at old stack', '[2026-12-04T05:00:00.000Z] info new', '    at new stack', '[2026-12-04T04:00:00.000Z] info clock went back', ''].join('\n'),
    );
    expect(lines.map((line) => line.text)).toEqual(['[2026-12-04T05:00:00.000Z] info new', '    at new stack', '[2026-12-04T04:00:00.000Z] info clock went back']);
  });
});

describe('mergeByTime', () => {
  it('tells several logs as one, oldest first, each keeping its own order and untimed lines after their predecessor', () => {
    const merged = mergeByTime([
      [
        { source: 'provision', text: 'a', at: '2026-12-04T05:00:00.000Z' },
        { source: 'provision', text: 'c', at: '2026-12-04T05:00:02.000Z' },
      ],
      [
        { source: 'code-server', text: 'b', at: '2026-12-04T05:00:01.000Z' },
        { source: 'code-server', text: 'b continued' },
        { source: 'code-server', text: 'd', at: '2026-12-04T05:00:03.000Z' },
      ],
    ]);
    expect(merged.map((line) => line.text)).toEqual(['a', 'b', 'b continued', 'c', 'd']);
  });
});

describe('formatLogLine', () => {
  it('puts the source in a column of its own', () => {
    expect(formatLogLine({ source: 'idle', text: 'x' })).toBe('idle        x');
    expect(formatLogLine({ source: 'code-server', text: 'x' })).toBe('code-server x');
  });
});

describe('provisionStepOf', () => {
  it('names the step a launch-log line begins, and nothing for the step\'s other lines or other logs', () => {
    expect(provisionStepOf({ source: 'provision', text: '2026-12-04T05:00:00Z porthole: step 3 of 7: install code-server' })).toBe(3);
    expect(provisionStepOf({ source: 'provision', text: '2026-12-04T05:00:00Z porthole: step 3 of 7: install code-server: already done' })).toBe(3);
    expect(provisionStepOf({ source: 'provision', text: '2026-12-04T05:00:09Z porthole: step install code-server failed with exit status 1' })).toBeUndefined();
    expect(provisionStepOf({ source: 'provision', text: 'E: Unable to locate package step 3 of 7: x' })).toBeUndefined();
    expect(provisionStepOf({ source: 'system', text: '2026-12-04T05:00:00Z porthole: step 3 of 7: install' })).toBeUndefined();
  });
});
