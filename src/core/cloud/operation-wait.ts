import { PortholeError } from '../errors.js';
import type { Clock } from './clock.js';
import type { Operation } from './model.js';

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Called with every operation whose status changed. */
  onProgress?: (operation: Operation) => void;
}

export interface WaitTiming {
  timeoutMs: number;
  pollIntervalMs: number;
  /** How long an operation id may stay unknown before that counts as an error. */
  visibilityGraceMs: number;
}

/** Creating an instance takes Lightsail about a minute; a snapshot of a large disk can take many. */
export const DEFAULT_WAIT_TIMING: WaitTiming = { timeoutMs: 20 * 60_000, pollIntervalMs: 2_000, visibilityGraceMs: 30_000 };

/** An operation, or undefined when Lightsail does not know the id yet (its reads lag its writes). */
export type FetchOperation = (id: string) => Promise<Operation | undefined>;

/**
 * Polls every operation until it is terminal. A failed operation fails the
 * wait at once: the caller's next step would act on a resource that is not
 * what it expects.
 */
export async function pollOperations(
  operations: readonly Operation[],
  fetch: FetchOperation,
  clock: Clock,
  timing: WaitTiming,
  onProgress?: (operation: Operation) => void,
): Promise<Operation[]> {
  const current = new Map(operations.map((op) => [op.id, op]));
  const started = clock.now();
  for (;;) {
    for (const op of current.values()) failIfFailed(op);
    const pending = [...current.values()].filter((op) => !isFinished(op));
    if (pending.length === 0) return operations.map((op) => current.get(op.id) ?? op);
    const elapsed = clock.now() - started;
    if (elapsed >= timing.timeoutMs) throw timeoutError(pending, timing.timeoutMs);
    await clock.sleep(Math.min(timing.pollIntervalMs, timing.timeoutMs - elapsed));
    for (const op of pending) {
      const fresh = await fetch(op.id);
      if (fresh === undefined) {
        if (clock.now() - started > timing.visibilityGraceMs) throw unknownOperation(op);
        continue;
      }
      if (fresh.status !== op.status) onProgress?.(fresh);
      current.set(op.id, fresh);
    }
  }
}

export function isFinished(op: Operation): boolean {
  return op.isTerminal || op.status === 'Succeeded' || op.status === 'Completed' || op.status === 'Failed';
}

function failIfFailed(op: Operation): void {
  if (op.status !== 'Failed') return;
  const detail = [op.errorCode, op.errorDetails].filter(Boolean).join(': ') || 'no reason given';
  throw new PortholeError(
    'service',
    `Lightsail could not finish ${op.operationType} on "${op.resourceName}" in ${op.region}: ${detail}.`,
    { fix: `Check the resource in the Lightsail console (operation ${op.id}), then try again.` },
  );
}

function timeoutError(pending: Operation[], timeoutMs: number): PortholeError {
  const names = pending.map((op) => `${op.operationType} on "${op.resourceName}"`).join(', ');
  return new PortholeError(
    'timeout',
    `Lightsail did not finish ${names} within ${Math.round(timeoutMs / 1000)} s.`,
    { fix: 'It may still finish; refresh in a few minutes, and check the Lightsail console if it does not.' },
  );
}

function unknownOperation(op: Operation): PortholeError {
  return new PortholeError(
    'service',
    `Lightsail lost track of ${op.operationType} on "${op.resourceName}" in ${op.region} (operation ${op.id} is unknown).`,
    { fix: 'Refresh to see the resource’s actual state.' },
  );
}
