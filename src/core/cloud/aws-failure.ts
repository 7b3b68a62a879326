/**
 * What a failed SDK call tells us, read once from whatever was thrown: a
 * modelled Lightsail exception, an unmodelled AWS error (`__type` only), a
 * credential-provider error, or a socket error with no HTTP answer at all.
 */
export interface AwsFailure {
  /** The exception name (`ThrottlingException`), or the socket error code (`ECONNREFUSED`). */
  name: string;
  message: string;
  httpStatus: number | undefined;
  requestId: string | undefined;
  /** Lightsail's own `code` member (`DoesNotExist`, ...), when it sent one. */
  lightsailCode: string | undefined;
  /** Who AWS blames: the caller (`client`) or itself (`server`). */
  fault: 'client' | 'server' | undefined;
  /** True when no HTTP answer arrived. */
  isNetwork: boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

export function readFailure(error: unknown): AwsFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const metadata = (e.$metadata ?? {}) as Record<string, unknown>;
  const httpStatus = typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const requestId = typeof metadata.requestId === 'string' && metadata.requestId ? metadata.requestId : undefined;
  const rawCode = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const socketCode = rawCode && NETWORK_CODES.has(rawCode) ? rawCode : networkCodeOfCause(e.cause);
  const isNetwork = httpStatus === undefined && (socketCode !== undefined || NETWORK_NAMES.has(name));
  return {
    name: isNetwork && socketCode ? socketCode : name,
    message,
    httpStatus,
    requestId,
    lightsailCode: isNetwork ? undefined : rawCode,
    fault: e.$fault === 'client' || e.$fault === 'server' ? e.$fault : undefined,
    isNetwork,
  };
}

function networkCodeOfCause(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as Record<string, unknown>).code;
  return typeof code === 'string' && NETWORK_CODES.has(code) ? code : undefined;
}

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

export function isThrottle(f: AwsFailure): boolean {
  return THROTTLE_NAMES.has(f.name) || f.httpStatus === 429;
}

export function isServerFault(f: AwsFailure): boolean {
  if (f.isNetwork || isThrottle(f)) return false;
  return (f.httpStatus !== undefined && f.httpStatus >= 500) || f.fault === 'server';
}
