/**
 * Every refusal the emulator can send, shaped like the service's own: the
 * body's `__type` names the exception, the status is the one the SDK's model
 * declares for it, and Lightsail's own errors carry `code`, `docs` and `tip`.
 */
export type LightsailErrorType =
  | 'AccessDeniedException'
  | 'InvalidInputException'
  | 'NotFoundException'
  | 'OperationFailureException'
  | 'ServiceException'
  | 'UnauthenticatedException';

/**
 * Errors raised by the AWS front door before Lightsail sees the request;
 * throttling is one too, so it is not among the service model's exceptions.
 */
export type FrontDoorErrorType =
  | 'ThrottlingException'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException'
  | 'ExpiredTokenException'
  | 'UnknownOperationException'
  | 'SerializationException';

const STATUS: Record<LightsailErrorType | FrontDoorErrorType, number> = {
  AccessDeniedException: 403,
  InvalidInputException: 400,
  NotFoundException: 404,
  OperationFailureException: 400,
  ServiceException: 500,
  UnauthenticatedException: 401,
  ThrottlingException: 400,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  UnrecognizedClientException: 400,
  ExpiredTokenException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
};

const DOCS = 'https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/';

const CODES: Record<LightsailErrorType, { code: string; tip: string }> = {
  AccessDeniedException: { code: 'AccessDenied', tip: 'Check the permissions of the credentials you are using.' },
  InvalidInputException: { code: 'InvalidInput', tip: 'Correct the request parameters and try again.' },
  NotFoundException: { code: 'DoesNotExist', tip: 'Please check the name and region of the resource.' },
  OperationFailureException: { code: 'OperationFailure', tip: 'Wait for the resource to settle and try again.' },
  ServiceException: { code: 'InternalError', tip: 'This is a service error; try the request again.' },
  UnauthenticatedException: { code: 'Unauthenticated', tip: 'Sign the request with valid credentials.' },
};

export class LightsailError extends Error {
  readonly status: number;
  constructor(
    readonly type: LightsailErrorType | FrontDoorErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.status = STATUS[type];
  }

  /** The JSON body the service would send. */
  body(): Record<string, string> {
    if (this.type in CODES) {
      const { code, tip } = CODES[this.type as LightsailErrorType];
      return { __type: this.type, code, docs: DOCS, message: this.message, tip };
    }
    // The front door answers in the older Coral shape, without Lightsail's extra members.
    return { __type: `com.amazon.coral.service#${this.type}`, message: this.message };
  }
}

export const invalidInput = (message: string): LightsailError => new LightsailError('InvalidInputException', message);

export const notFound = (kind: string, name: string): LightsailError =>
  new LightsailError('NotFoundException', `The ${kind} does not exist: ${name}`);

export const wrongState = (message: string): LightsailError =>
  new LightsailError('InvalidInputException', message);
