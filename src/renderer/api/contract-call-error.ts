import type { ContractError } from '../../shared/contract';

/** A call the core refused, with its message, fix and the form field it is about. */
export class ContractCallError extends Error {
  readonly detail: ContractError;

  constructor(detail: ContractError) {
    super(detail.message);
    this.name = 'ContractCallError';
    this.detail = detail;
  }
}

/** What to tell the user about any failure: the core's words when it has them. */
export function describeFailure(error: unknown): { kind?: string; message: string; fix?: string; field?: string } {
  if (error instanceof ContractCallError) return error.detail;
  return { message: error instanceof Error ? error.message : String(error) };
}
