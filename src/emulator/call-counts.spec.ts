import { describe, expect, it } from 'vitest';
import { CallCounts } from './call-counts.js';

describe('Lightsail call counts', () => {
  it('counts each operation and the total', () => {
    const counts = new CallCounts();
    expect(counts.report()).toEqual({ total: 0, byOperation: {} });
    counts.record('GetInstances');
    counts.record('GetStaticIps');
    counts.record('GetInstances');
    expect(counts.report()).toEqual({ total: 3, byOperation: { GetInstances: 2, GetStaticIps: 1 } });
  });
});
