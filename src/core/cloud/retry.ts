import { type AwsFailure, isServerFault, isThrottle, readFailure } from './aws-failure.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Lightsail's request rate limits are per account and per second: a few seconds of backoff clears them. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

export type Sleep = (ms: number) => Promise<void>;
/** A number in [0, 1), like `Math.random`. */
export type Random = () => number;

export type RetryReason = 'throttle' | 'server' | 'network' | 'transient';

/**
 * Why a failed call may be tried again, or undefined when it must not.
 * A mutation whose answer never arrived may have been applied, so only reads
 * are retried on network errors; a server fault on a mutation is retried
 * because the caller can recognise its own earlier success (see `recover`).
 */
export function retryReason(
  failure: AwsFailure,
  idempotent: boolean,
  isTransient: (f: AwsFailure) => boolean = () => false,
): RetryReason | undefined {
  if (isThrottle(failure)) return 'throttle';
  if (isServerFault(failure)) return 'server';
  if (failure.isNetwork) return idempotent ? 'network' : undefined;
  if (isTransient(failure)) return 'transient';
  return undefined;
}

/** Exponential backoff with full jitter: spreads clients that were throttled together. */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy, random: Random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.floor(random() * ceiling);
}

/** A call that failed for good, with what the retries saw. */
export class CallFailure extends Error {
  override readonly name = 'CallFailure';
  constructor(
    readonly error: unknown,
    readonly attempts: number,
    /** True when the error was still worth retrying but the attempts ran out. */
    readonly exhausted: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export interface RetryOptions<T> {
  policy: RetryPolicy;
  sleep: Sleep;
  random: Random;
  idempotent: boolean;
  /**
   * Errors that pass with time besides throttling and faults (a resource that
   * is still settling). Retried until this returns false, so it must turn false.
   */
  isTransient?: (failure: AwsFailure) => boolean;
  /**
   * Asked when a retried mutation fails after an earlier attempt died on the
   * server's side and so may have taken effect: return the result that attempt
   * would have given to treat the failure as that success, or undefined.
   */
  recover?: (error: unknown) => Promise<T | undefined>;
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions<T>): Promise<T> {
  let mayHaveApplied = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = readFailure(error);
      const reason = retryReason(failure, options.idempotent, options.isTransient);
      // A settling resource is retried for as long as `isTransient` says so, not a fixed count.
      if (reason === undefined || (reason !== 'transient' && attempt >= options.policy.maxAttempts)) {
        if (reason === undefined && mayHaveApplied && options.recover) {
          const recovered = await options.recover(error);
          if (recovered !== undefined) return recovered;
        }
        throw new CallFailure(error, attempt, reason !== undefined);
      }
      if (!options.idempotent && reason === 'server') mayHaveApplied = true;
      await options.sleep(backoffDelay(attempt, options.policy, options.random));
    }
  }
}
