import { describe, expect, it } from 'vitest';
import { PortholeError } from '../errors.js';
import { acrossRegions } from './region-fanout.js';

const toError = (error: unknown, region: string) => new PortholeError('service', `${region}: ${String(error)}`);

describe('acrossRegions', () => {
  it('returns what the healthy regions hold and names the failed ones', async () => {
    const result = await acrossRegions(
      ['us-east-1', 'eu-west-2', 'ap-south-1'],
      async (region) => {
        if (region === 'eu-west-2') throw new Error('boom');
        return [`${region}-a`, `${region}-b`];
      },
      toError,
    );
    expect(result.items).toEqual(['us-east-1-a', 'us-east-1-b', 'ap-south-1-a', 'ap-south-1-b']);
    expect(result.failures.map((f) => f.region)).toEqual(['eu-west-2']);
    expect(result.failures[0]!.error.message).toMatch(/boom/);
  });

  it('never runs more than `concurrency` regions at once', async () => {
    let running = 0;
    let peak = 0;
    const regions = Array.from({ length: 9 }, (_, i) => `r${i}`);
    const result = await acrossRegions(
      regions,
      async (region) => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return [region];
      },
      toError,
      3,
    );
    expect(peak).toBe(3);
    expect(result.items).toEqual(regions);
  });

  it('answers an empty region list with nothing', async () => {
    expect(await acrossRegions([], async () => [1], toError)).toEqual({ items: [], failures: [] });
  });
});
