import { describe, expect, it } from 'vitest';
import { Faults } from './faults.js';

describe('Faults', () => {
  it('draws the same sequence for the same seed', () => {
    const sequence = (seed: number) => {
      const faults = new Faults(seed);
      faults.set({ throttleRate: 0.25, serverErrorRate: 0.25 });
      return Array.from({ length: 40 }, () => faults.draw() ?? '-').join(',');
    };
    expect(sequence(9)).toBe(sequence(9));
    expect(sequence(9)).not.toBe(sequence(10));
  });

  it('validates rates and knows which instances are stuck', () => {
    const faults = new Faults(1);
    expect(() => faults.set({ throttleRate: 1.5 })).toThrow(/between 0 and 1/);
    faults.set({ stuckStopping: ['dev'] });
    expect(faults.isStuckStopping('dev')).toBe(true);
    expect(faults.isStuckStopping('prod')).toBe(false);
    faults.set({ stuckStopping: ['*'] });
    expect(faults.isStuckStopping('prod')).toBe(true);
    faults.clear();
    expect(faults.settings.stuckStopping).toEqual([]);
  });
});
