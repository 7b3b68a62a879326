import { describe, expect, it } from 'vitest';
import { lineTime, parseDuration } from './log-time.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and their sums', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
  });

  it('refuses what is not a duration, saying how to write one', () => {
    for (const text of ['yesterday', '10', 'm10', '10x', '', '5m later']) expect(() => parseDuration(text)).toThrow(/is not a duration.*--since 10m/s);
  });
});

describe('lineTime', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('reads the launch log, code-server, the journal and rsyslog', () => {
    expect(lineTime('2026-12-04T05:17:34Z porthole: step 1 of 4: apply the layers')?.toISOString()).toBe('2026-12-04T05:17:34.000Z');
    expect(lineTime('[2026-12-04T05:28:55.254Z] info  HTTP server listening')?.toISOString()).toBe('2026-12-04T05:28:55.254Z');
    expect(lineTime('2026-12-04T07:17:34+0200 box sshd[12]: Accepted')?.toISOString()).toBe('2026-12-04T05:17:34.000Z');
    expect(lineTime('2026-12-04T05:17:34.123456+00:00 box kernel: x')?.toISOString()).toBe('2026-12-04T05:17:34.123Z');
  });

  it('reads the classic syslog time as this year', () => {
    expect(lineTime('Dec  4 05:17:34 box sshd[12]: Accepted', now)?.toISOString()).toBe('2026-12-04T05:17:34.000Z');
  });

  it('finds none in a line that starts otherwise', () => {
    expect(lineTime('    at Object.<anonymous> (file.js:1:1)')).toBeUndefined();
    expect(lineTime('Foo  4 05:17:34 box')).toBeUndefined();
  });
});
