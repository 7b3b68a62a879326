import { describe, expect, it } from 'vitest';
import { EmulatedClock } from './clock.js';

describe('EmulatedClock', () => {
  it('runs timeScale times faster than the wall clock and can be advanced', () => {
    let wall = 1_000_000;
    const clock = new EmulatedClock(100, undefined, () => wall);
    const start = clock.now();
    wall += 1_000;
    expect(clock.now() - start).toBe(100_000);
    clock.advance(5_000);
    expect(clock.now() - start).toBe(105_000);
    expect(() => clock.advance(-1)).toThrow(/forward/);
  });

  it('resumes from a reading, counting the time it was down', () => {
    let wall = 1_000_000;
    const first = new EmulatedClock(10, undefined, () => wall);
    first.advance(60_000);
    const reading = first.reading();
    wall += 2_000;
    const second = new EmulatedClock(10, reading, () => wall);
    expect(second.now()).toBe(reading.emulatedAt + 20_000);
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => new EmulatedClock(0)).toThrow(RangeError);
  });
});
