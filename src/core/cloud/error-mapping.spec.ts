import {
  AccessDeniedException,
  AccountSetupInProgressException,
  InvalidInputException,
  LightsailServiceException,
  NotFoundException,
  OperationFailureException,
  RegionSetupInProgressException,
  ServiceException,
  UnauthenticatedException,
} from '@aws-sdk/client-lightsail';
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../errors.js';
import { type CallContext, toPortholeError } from './error-mapping.js';
import { CallFailure } from './retry.js';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'c0ffee-1', attempts: 1, totalRetryDelay: 0 });
const context: CallContext = { action: 'create instance "dev"', operation: 'CreateInstances', region: 'eu-west-2' };
const unmodelled = (name: string, status: number, message: string) =>
  new LightsailServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: meta(status), message });

const cases: [string, unknown, PortholeError['kind'], RegExp][] = [
  ['invalid token', unmodelled('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'), 'credentials', /did not accept the account's credentials/],
  ['bad signature', unmodelled('InvalidSignatureException', 403, 'The request signature we calculated does not match the signature you provided.'), 'credentials', /credentials/],
  ['expired token', unmodelled('ExpiredTokenException', 400, 'The security token included in the request is expired'), 'credentials', /have expired/],
  ['clock skew', unmodelled('InvalidSignatureException', 403, 'Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z'), 'credentials', /clock/],
  ['unauthenticated', new UnauthenticatedException({ $metadata: meta(401), message: 'Unauthenticated' }), 'credentials', /credentials/],
  ['no credentials at all', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'credentials', /no usable AWS credentials/],
  ['access denied', new AccessDeniedException({ $metadata: meta(403), message: 'User: arn:aws:iam::1:user/x is not authorized to perform: lightsail:CreateInstances' }), 'access-denied', /not allowed to call lightsail:CreateInstances/],
  ['region setup', new RegionSetupInProgressException({ $metadata: meta(400), message: 'Region setup in progress' }), 'region-not-enabled', /still setting up eu-west-2/],
  ['region not enabled', new AccessDeniedException({ $metadata: meta(403), message: 'Lightsail is not enabled in this region for your account; opt in first.' }), 'region-not-enabled', /not enabled for this account in eu-west-2/],
  ['bundle for new accounts', new InvalidInputException({ $metadata: meta(400), message: 'The bundle large_3_0 is not available for new accounts.' }), 'bundle-not-allowed', /may not launch that bundle/],
  ['name taken', new InvalidInputException({ $metadata: meta(400), message: 'Some names are already in use: dev' }), 'name-taken', /already used by another Lightsail resource in eu-west-2/],
  ['not found', new NotFoundException({ $metadata: meta(400), message: 'The Instance does not exist: dev', code: 'DoesNotExist' }), 'not-found', /does not exist/],
  ['wrong state', new InvalidInputException({ $metadata: meta(400), message: "The instance is not in a valid state for this operation: it is 'stopping'." }), 'wrong-state', /not in a state that allows this/],
  ['being deleted', new InvalidInputException({ $metadata: meta(400), message: "The instance 'dev' is being deleted; reboot needs it running." }), 'wrong-state', /state/],
  ['static IP already attached', new InvalidInputException({ $metadata: meta(400), message: "The instance 'dev' already has the static IP 'ip' attached. Detach it first." }), 'wrong-state', /state/],
  ['operation failure on state', new OperationFailureException({ $metadata: meta(400), message: "Sorry, you can't reboot an instance while it is stopped." }), 'wrong-state', /state/],
  ['invalid input', new InvalidInputException({ $metadata: meta(400), message: 'The specified bundle does not exist in this region: nano_9_9' }), 'invalid-input', /rejected the request/],
  ['account setup', new AccountSetupInProgressException({ $metadata: meta(400), message: 'Account setup in progress' }), 'service', /still setting up this account/],
  ['unknown operation', unmodelled('UnknownOperationException', 400, 'Unknown operation: Lightsail_20161128.CreateInstances'), 'service', /does not offer lightsail:CreateInstances/],
  ['server fault', new ServiceException({ $metadata: meta(500), message: 'Internal error' }), 'service', /failed on its side \(ServiceException, HTTP 500\)/],
  ['unavailable', unmodelled('ServiceUnavailable', 503, 'Service unavailable'), 'service', /HTTP 503/],
  ['throttled', new CallFailure(unmodelled('ThrottlingException', 400, 'Rate exceeded'), 6, true), 'throttled', /6 attempts in a row/],
  ['unreachable', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'network', /could not be reached \(ECONNREFUSED\)/],
  ['timed out', Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' }), 'network', /could not be reached/],
  ['a bug', new TypeError('x is undefined'), 'internal', /unexpected error/],
];

describe('toPortholeError', () => {
  it.each(cases)('%s', (_label, thrown, kind, why) => {
    const error = toPortholeError(thrown, context);
    expect(error).toBeInstanceOf(PortholeError);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(/^Could not create instance "dev" in eu-west-2: /);
    expect(error.message).toMatch(why);
    expect(error.fix).toBeTruthy();
    expect(error.message).toContain(error.fix);
  });

  it('carries the AWS request id in the error and its message', () => {
    const error = toPortholeError(new InvalidInputException({ $metadata: meta(400), message: 'Some names are already in use: dev' }), context);
    expect(error.requestId).toBe('c0ffee-1');
    expect(error.message).toMatch(/\(AWS request id c0ffee-1\)$/);
  });

  it('blames the sandbox, not the internet, when an emulator endpoint is down', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = toPortholeError(refused, { ...context, endpoint: 'http://127.0.0.1:4566' });
    expect(error.message).toMatch(/http:\/\/127\.0\.0\.1:4566 did not answer/);
    expect(error.fix).toMatch(/lightsail-local/);
  });

  it('reads a socket error wrapped as the cause', () => {
    const wrapped = new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(toPortholeError(wrapped, context).kind).toBe('network');
  });

  it('passes a PortholeError through unchanged', () => {
    const own = new PortholeError('timeout', 'Too slow.');
    expect(toPortholeError(own, context)).toBe(own);
  });
});
