import { type ErrorKind, PortholeError, isPortholeError } from '../errors.js';
import { type AwsFailure, isServerFault, isThrottle, readFailure } from './aws-failure.js';
import { CallFailure } from './retry.js';

/** What the failed call was for, in the user's words. */
export interface CallContext {
  /** A verb phrase: `start instance "dev"`. */
  action: string;
  /** The Lightsail API name, for permission advice: `StartInstance`. */
  operation: string;
  region: string;
  /** Set when the account talks to an emulator instead of AWS. */
  endpoint?: string | undefined;
}

const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'UnauthenticatedException',
  'AuthFailure',
  'CredentialsProviderError',
  'TokenProviderError',
]);

const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const NOT_FOUND_NAMES = new Set(['NotFoundException', 'ResourceNotFoundException', 'DoesNotExist']);
const INVALID_NAMES = new Set(['InvalidInputException', 'ValidationException', 'SerializationException', 'InvalidParameterValue']);

// Lightsail answers most refusals with InvalidInputException and says why only
// in prose; these match the wording it uses ("Some names are already in use:
// dev", "... is not available for new accounts", "... not in a valid state").
const NAME_TAKEN = /already in use|already exists|name is taken/i;
const BUNDLE_NOT_ALLOWED =
  /not available for new accounts|not (?:currently )?(?:available|supported|allowed) (?:for|on) (?:your|this|new) account|bundle[^.]*not (?:available|allowed) (?:for|to) (?:your|this) account/i;
const REGION_NOT_ENABLED =
  /opt(?:ed)?[- ]?in|not subscribed|region[^.]*(?:is )?(?:not enabled|disabled)|not enabled (?:in|for) (?:this|the) region|not available in (?:this|the) region/i;
const WRONG_STATE =
  /\bstate\b|can(?:no|')t [^.]* (?:while|when|because|until)|is (?:currently |already )?(?:pending|stopping|starting|stopped|running|rebooting|in transition|being deleted)|already (?:stopped|running|attached|detached|started|has)|not attached|is attached/i;
const EXPIRED = /expired/i;
const CLOCK_SKEW = /signature expired|clock skew|too skewed|request has expired/i;

/** The kind of a failed call: by exception name first, by Lightsail's wording where the name is too broad. */
export function errorKindOf(f: AwsFailure): ErrorKind {
  if (f.isNetwork) return 'network';
  if (isThrottle(f)) return 'throttled';
  if (f.name === 'RegionSetupInProgressException' || f.name === 'OptInRequired') return 'region-not-enabled';
  if (CREDENTIAL_NAMES.has(f.name)) return 'credentials';
  if (REGION_NOT_ENABLED.test(f.message)) return 'region-not-enabled';
  if (BUNDLE_NOT_ALLOWED.test(f.message)) return 'bundle-not-allowed';
  if (ACCESS_DENIED_NAMES.has(f.name)) return 'access-denied';
  if (NOT_FOUND_NAMES.has(f.name) || f.lightsailCode === 'DoesNotExist') return 'not-found';
  if (f.name === 'AccountSetupInProgressException' || f.name === 'UnknownOperationException') return 'service';
  if (isServerFault(f)) return 'service';
  if (NAME_TAKEN.test(f.message)) return 'name-taken';
  if (f.name === 'OperationFailureException') return WRONG_STATE.test(f.message) ? 'wrong-state' : 'service';
  if (WRONG_STATE.test(f.message) && INVALID_NAMES.has(f.name)) return 'wrong-state';
  if (INVALID_NAMES.has(f.name)) return 'invalid-input';
  if (f.httpStatus === 403) return 'access-denied';
  if (f.httpStatus !== undefined && f.httpStatus >= 400) return 'invalid-input';
  return 'internal';
}

/** Turns whatever a gateway call threw into the error the user reads. */
export function toPortholeError(thrown: unknown, context: CallContext): PortholeError {
  if (isPortholeError(thrown)) return thrown;
  const attempts = thrown instanceof CallFailure ? thrown.attempts : 1;
  const error = thrown instanceof CallFailure ? thrown.error : thrown;
  if (isPortholeError(error)) return error;
  const failure = readFailure(error);
  const kind = errorKindOf(failure);
  const { why, fix } = explain(kind, failure, context, attempts);
  return new PortholeError(kind, `Could not ${context.action} in ${context.region}: ${why}.`, {
    fix,
    requestId: failure.requestId,
    cause: error,
  });
}

function explain(kind: ErrorKind, f: AwsFailure, c: CallContext, attempts: number): { why: string; fix: string } {
  const said = quote(f.message);
  switch (kind) {
    case 'credentials':
      if (f.name === 'CredentialsProviderError' || f.name === 'TokenProviderError')
        return {
          why: `no usable AWS credentials were found for this account (${f.message})`,
          fix: 'Add access keys or choose a configured profile in Settings; for an SSO profile, run `porthole login PROFILE` (or `aws sso login`).',
        };
      if (EXPIRED.test(f.name) || EXPIRED.test(f.message))
        return {
          why: CLOCK_SKEW.test(f.message)
            ? "AWS refused the request's signature as expired, which happens when this computer's clock is wrong"
            : "the account's AWS credentials have expired",
          fix: CLOCK_SKEW.test(f.message)
            ? "Set the computer's clock to the correct time and try again."
            : 'Sign in again (`porthole login PROFILE` or `aws sso login` for an SSO profile) or renew the access keys, then try again.',
        };
      return {
        why: `AWS did not accept the account's credentials (${f.name}: ${said})`,
        fix: 'Check the access key id and secret of this account in Settings, or sign in again if it uses SSO.',
      };
    case 'access-denied':
      return {
        why: `the account's IAM user or role is not allowed to call lightsail:${c.operation} (${said})`,
        fix: `Ask an administrator to grant lightsail:${c.operation} to it; Porthole needs the lightsail:* actions on its own resources.`,
      };
    case 'region-not-enabled':
      if (f.name === 'RegionSetupInProgressException')
        return {
          why: `Lightsail is still setting up ${c.region} for this account`,
          fix: 'Wait a few minutes and try again.',
        };
      return {
        why: `Lightsail is not enabled for this account in ${c.region} (${said})`,
        fix: 'Enable the region in the AWS console under Account > AWS Regions, or choose another region.',
      };
    case 'bundle-not-allowed':
      return {
        why: `this account may not launch that bundle yet; Lightsail keeps new accounts to the smaller bundles (${said})`,
        fix: 'Choose a smaller bundle, or ask AWS Support to raise the account’s Lightsail limits.',
      };
    case 'name-taken':
      return {
        why: `the name is already used by another Lightsail resource in ${c.region} (${said})`,
        fix: 'Choose another name, or delete the resource that holds it.',
      };
    case 'not-found':
      return {
        why: `it does not exist (${said})`,
        fix: 'It may have been deleted outside Porthole; refresh to see what is left.',
      };
    case 'wrong-state':
      return {
        why: `it is not in a state that allows this (${said})`,
        fix: 'Wait for the change in progress to finish, then try again.',
      };
    case 'invalid-input':
      return {
        why: `Lightsail rejected the request (${f.name}: ${said})`,
        fix: 'Correct the value it names and try again.',
      };
    case 'throttled':
      return {
        why: `Lightsail kept limiting the request rate, ${attempts} attempts in a row`,
        fix: 'Wait a minute and try again; running fewer operations at once helps.',
      };
    case 'service':
      if (f.name === 'AccountSetupInProgressException')
        return { why: 'Lightsail is still setting up this account', fix: 'Wait a few minutes and try again.' };
      if (f.name === 'UnknownOperationException')
        return {
          why: `the endpoint${c.endpoint ? ` ${c.endpoint}` : ''} does not offer lightsail:${c.operation}`,
          fix: c.endpoint ? 'Update lightsail-local to a version that has it.' : 'Update Porthole; this Lightsail API may have changed.',
        };
      return {
        why: `Lightsail failed on its side (${f.name}${f.httpStatus ? `, HTTP ${f.httpStatus}` : ''}${
          attempts > 1 ? `, ${attempts} attempts` : ''
        })`,
        fix: 'Try again in a few minutes; if it keeps failing, check the AWS Health Dashboard.',
      };
    case 'network':
      return c.endpoint
        ? {
            why: `the Lightsail endpoint ${c.endpoint} did not answer (${f.name})`,
            fix: 'Check that the sandbox (lightsail-local) is running, then try again.',
          }
        : {
            why: `Lightsail could not be reached (${f.name}${f.name === 'ENOTFOUND' ? `; Lightsail may not be offered in ${c.region}` : ''})`,
            fix: 'Check the network connection, proxy or VPN, then try again.',
          };
    default:
      return {
        why: `an unexpected error occurred (${f.name}: ${said})`,
        fix: 'Try again; if it happens again, report it with the log.',
      };
  }
}

function quote(message: string): string {
  return `“${message.replace(/\s+/g, ' ').trim()}”`;
}
