import type { ContractError } from '../../shared/contract.js';
import { isPortholeError } from '../errors.js';

/**
 * A failed call as the UI receives it: what happened and what to do, apart,
 * so the page can show the fix on its own line. Anything that is not a
 * PortholeError is unexpected and says so, without its stack.
 */
export function toContractError(error: unknown, field?: string): ContractError {
  if (isPortholeError(error)) {
    const fix = error.fix;
    return {
      kind: error.kind,
      message: error.problem,
      ...(fix ? { fix } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(field ? { field } : {}),
    };
  }
  return {
    kind: 'internal',
    message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'Try again; if it keeps failing, report it with the activity log.',
  };
}

/** An error that knows which form field it is about. */
export class FieldError extends Error {
  readonly field: string;
  readonly problem: unknown;

  constructor(field: string, problem: unknown) {
    super(problem instanceof Error ? problem.message : String(problem));
    this.field = field;
    this.problem = problem;
  }
}

export function contractErrorOf(error: unknown): ContractError {
  return error instanceof FieldError ? toContractError(error.problem, error.field) : toContractError(error);
}
