/**
 * The one error type a user can meet. Its message says what happened, why,
 * and what to do; `kind` lets callers (CLI exit codes, notifications, retry
 * policy) decide without parsing text.
 */
export type ErrorKind =
  | 'usage' // bad input from the user: a name, a flag, a file
  | 'credentials' // missing, invalid or expired AWS credentials
  | 'access-denied'
  | 'region-not-enabled'
  | 'bundle-not-allowed'
  | 'name-taken'
  | 'not-found'
  | 'wrong-state'
  | 'invalid-input' // the cloud refused the request's content
  | 'throttled'
  | 'service' // the cloud failed on its side
  | 'network' // the cloud could not be reached
  | 'keychain'
  | 'timeout'
  | 'internal';

export interface PortholeErrorOptions {
  /** What to do about it, in one sentence. */
  fix?: string;
  /** The AWS request id, when a cloud call failed. */
  requestId?: string;
  cause?: unknown;
}

export class PortholeError extends Error {
  override readonly name = 'PortholeError';
  readonly kind: ErrorKind;
  readonly fix: string | undefined;
  readonly requestId: string | undefined;
  /** What happened, without the fix and the request id `message` ends with: for a caller that shows the fix apart or words its own. */
  readonly problem: string;

  constructor(kind: ErrorKind, message: string, options: PortholeErrorOptions = {}) {
    super(composeMessage(message, options), { cause: options.cause });
    this.kind = kind;
    this.problem = message;
    this.fix = options.fix;
    this.requestId = options.requestId;
  }
}

function composeMessage(message: string, { fix, requestId }: PortholeErrorOptions): string {
  let text = message;
  if (fix) text += ` ${fix}`;
  if (requestId) text += ` (AWS request id ${requestId})`;
  return text;
}

export function isPortholeError(error: unknown, kind?: ErrorKind): error is PortholeError {
  return error instanceof PortholeError && (kind === undefined || error.kind === kind);
}
