import { InvalidInputException, LightsailServiceException, NotFoundException, ServiceException } from '@aws-sdk/client-lightsail';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFailure } from './aws-failure.js';
import { CallFailure, type RetryPolicy, backoffDelay, retryReason, withRetry } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 });

const throttle = () =>
  new LightsailServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: meta(400), message: 'Rate exceeded' });
const serverFault = () => new ServiceException({ $metadata: meta(500), message: 'We encountered an internal error' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const invalid = (message: string) => new InvalidInputException({ $metadata: meta(400), message });

describe('retryReason', () => {
  it('retries throttling and server faults for any call', () => {
    for (const idempotent of [true, false]) {
      expect(retryReason(readFailure(throttle()), idempotent)).toBe('throttle');
      expect(retryReason(readFailure(serverFault()), idempotent)).toBe('server');
    }
  });

  it('retries a lost answer only when the call is safe to repeat', () => {
    expect(retryReason(readFailure(refused()), true)).toBe('network');
    expect(retryReason(readFailure(refused()), false)).toBeUndefined();
  });

  it('passes refusals straight through', () => {
    expect(retryReason(readFailure(invalid('Some names are already in use: dev')), true)).toBeUndefined();
    const missing = new NotFoundException({ $metadata: meta(400), message: 'The Instance does not exist: dev' });
    expect(retryReason(readFailure(missing), true)).toBeUndefined();
    expect(retryReason(readFailure(missing), true, () => true)).toBe('transient');
  });

  it('treats a 429 without a known name as throttling', () => {
    const e = new LightsailServiceException({ name: 'Unknown', $fault: 'client', $metadata: meta(429), message: '' });
    expect(retryReason(readFailure(e), false)).toBe('throttle');
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base * 2^(n-1))) for every attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const delay = backoffDelay(n, policy, () => r);
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.max(ceiling, 1));
      }),
    );
  });

  it('doubles the ceiling per attempt until the cap', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });
});

describe('withRetry', () => {
  const run = <T>(
    outcomes: (() => T | Error)[],
    options: { idempotent: boolean; recover?: (e: unknown) => Promise<T | undefined> },
  ) => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        const next = outcomes[Math.min(calls++, outcomes.length - 1)]!();
        if (next instanceof Error) throw next;
        return next;
      },
      { policy, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...options },
    );
    return { result, sleeps, calls: () => calls };
  };

  it('succeeds after throttles and faults, sleeping the jittered backoff between', async () => {
    const r = run<string>([throttle, serverFault, throttle, () => 'ok'], { idempotent: false });
    await expect(r.result).resolves.toBe('ok');
    expect(r.calls()).toBe(4);
    expect(r.sleeps).toEqual([50, 100, 200]);
  });

  it('gives up after maxAttempts and says the retries ran out', async () => {
    const r = run<string>([throttle], { idempotent: true });
    const failure = await r.result.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CallFailure);
    expect((failure as CallFailure).attempts).toBe(5);
    expect((failure as CallFailure).exhausted).toBe(true);
    expect(r.sleeps).toHaveLength(4);
  });

  it('keeps retrying a settling resource past maxAttempts while it is transient', async () => {
    const missing = () => new NotFoundException({ $metadata: meta(404), message: 'The Instance does not exist: dev' });
    let reads = 0;
    const sleeps: number[] = [];
    const result = withRetry(
      async () => {
        if (++reads < 9) throw missing();
        return 'visible';
      },
      { policy, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, idempotent: true, isTransient: () => true },
    );
    await expect(result).resolves.toBe('visible');
    expect(sleeps).toHaveLength(8);
  });

  it('does not retry a refusal', async () => {
    const r = run<string>([() => invalid('bad bundle')], { idempotent: true });
    const failure = (await r.result.catch((e: unknown) => e)) as CallFailure;
    expect(failure.attempts).toBe(1);
    expect(failure.exhausted).toBe(false);
    expect(r.sleeps).toEqual([]);
  });

  it('asks recover when a mutation retried after a server fault is refused', async () => {
    const seen: unknown[] = [];
    const r = run<string>([serverFault, () => invalid('Some names are already in use: dev')], {
      idempotent: false,
      recover: async (e) => {
        seen.push(e);
        return 'created-by-first-attempt';
      },
    });
    await expect(r.result).resolves.toBe('created-by-first-attempt');
    expect(seen).toHaveLength(1);
  });

  it('does not ask recover when only throttles came before: a throttled request never ran', async () => {
    let asked = false;
    const r = run<string>([throttle, () => invalid('Some names are already in use: dev')], {
      idempotent: false,
      recover: async () => {
        asked = true;
        return 'x';
      },
    });
    await expect(r.result).rejects.toBeInstanceOf(CallFailure);
    expect(asked).toBe(false);
  });

  it('throws the refusal when recover finds nothing', async () => {
    const r = run<string>([serverFault, () => invalid('Some names are already in use: dev')], {
      idempotent: false,
      recover: async () => undefined,
    });
    const failure = (await r.result.catch((e: unknown) => e)) as CallFailure;
    expect(failure.error).toBeInstanceOf(InvalidInputException);
  });
});
