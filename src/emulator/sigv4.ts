import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CredentialPair } from './sandbox-credentials.js';
import { LightsailError } from './lightsail-error.js';

/** What the front door needs to know about a request to check its signature. */
export interface SignedRequest {
  method: string;
  /** Path and query, as sent on the request line. */
  url: string;
  /** Header names and values in the order received, as Node's `rawHeaders`. */
  rawHeaders: string[];
  body: Buffer;
}

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface ParsedAuthorization {
  scope: SigV4Scope;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature dated more than this far from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const incomplete = (message: string): LightsailError => new LightsailError('IncompleteSignatureException', message);

export function parseAuthorization(header: string | undefined, expectedService = 'lightsail'): ParsedAuthorization {
  if (header === undefined || header.trim() === '') {
    throw new LightsailError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'. Sign requests with ${ALGORITHM}.`);
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !params.get(name));
  if (missing.length > 0) {
    throw incomplete(
      missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ') + ` Authorization=${header}`,
    );
  }
  const credential = params.get('Credential') ?? '';
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw incomplete(
      `Credential should be scoped to a valid region, service and 'aws4_request' terminator: ` +
        `'<key>/<yyyymmdd>/<region>/<service>/aws4_request', not '${credential}'.`,
    );
  }
  if (!/^\d{8}$/.test(date)) throw incomplete(`Credential scope date must be YYYYMMDD, not '${date}'.`);
  if (service !== expectedService) {
    throw new LightsailError('InvalidSignatureException', `Credential should be scoped to correct service: '${expectedService}'.`);
  }
  const signature = params.get('Signature') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) throw incomplete(`Signature must be 64 lowercase hex characters.`);
  return {
    scope: { accessKeyId, date, region, service },
    signedHeaders: (params.get('SignedHeaders') ?? '').split(';'),
    signature,
  };
}

export interface SessionCredential extends CredentialPair {
  sessionToken: string;
  expiresAt: number;
}

export interface VerifyOptions {
  credentials: readonly CredentialPair[];
  /** Accepts any key id, checking only the signature's form: for casual local use. */
  acceptAnyCredentials: boolean;
  now: () => number;
  /** Temporary credentials (from the SSO portal), checked with their session token and expiry as AWS does. */
  sessionCredentials?: () => readonly SessionCredential[];
  /** The service the credential scope must name; Lightsail unless said (STS for the identity routes). */
  service?: string;
}

/**
 * Checks a request the way AWS does and returns its credential scope; the
 * region a caller means is the one in the scope, as there is no host per
 * region here.
 */
export function verifyRequest(request: SignedRequest, options: VerifyOptions): SigV4Scope {
  const headers = headerMap(request.rawHeaders);
  const auth = parseAuthorization(headers.get('authorization'), options.service);
  const amzDate = headers.get('x-amz-date');
  if (!amzDate) {
    throw incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw incomplete(`X-Amz-Date must be in the form YYYYMMDD'T'HHMMSS'Z', not '${amzDate}'.`);
  if (!auth.signedHeaders.includes('host')) {
    throw new LightsailError('InvalidSignatureException', `'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  if (amzDate.slice(0, 8) !== auth.scope.date) {
    throw new LightsailError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const now = options.now();
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new LightsailError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  const session = options.sessionCredentials?.().find((c) => c.accessKeyId === auth.scope.accessKeyId);
  if (session) {
    if (headers.get('x-amz-security-token') !== session.sessionToken) {
      throw new LightsailError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (session.expiresAt <= now) throw new LightsailError('ExpiredTokenException', 'The security token included in the request is expired');
  }
  const pair = session ?? options.credentials.find((c) => c.accessKeyId === auth.scope.accessKeyId);
  if (!pair) {
    if (options.acceptAnyCredentials) return auth.scope;
    throw new LightsailError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const canonical = canonicalRequest(request, headers, auth.signedHeaders);
  const scope = `${auth.scope.date}/${auth.scope.region}/${auth.scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  const expected = signingKeySignature(pair.secretAccessKey, auth.scope, stringToSign);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    throw new LightsailError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
        `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  return auth.scope;
}

/** Lower-cased names; repeated headers joined by commas, as the signer sees them. */
function headerMap(rawHeaders: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = (rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' ');
    const prior = map.get(name);
    map.set(name, prior === undefined ? value : `${prior},${value}`);
  }
  return map;
}

export function canonicalRequest(request: SignedRequest, headers: Map<string, string>, signedHeaders: string[]): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join('');
  const payloadHash = headers.get('x-amz-content-sha256') ?? sha256Hex(request.body);
  return [request.method, canonicalPath(path), canonicalQuery(query), canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Services other than S3 sign each path segment encoded twice. */
function canonicalPath(path: string): string {
  if (path === '' || path === '/') return '/';
  return path
    .split('/')
    .map((segment) => rfc3986(rfc3986(safeDecode(segment))))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [rfc3986(safeDecode(key)), rfc3986(safeDecode(value))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function signingKeySignature(secret: string, scope: SigV4Scope, stringToSign: string): string {
  const kDate = hmac(`AWS4${secret}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Signs a request as an AWS client would; tests and tools use it to talk to the emulator without the SDK. */
export function signRequest(
  request: { method: string; url: string; host: string; headers: Record<string, string>; body: string },
  credentials: CredentialPair,
  region: string,
  now = Date.now(),
): Record<string, string> {
  const amzDate = formatAmzDate(now);
  const all: Record<string, string> = { ...request.headers, host: request.host, 'x-amz-date': amzDate };
  const rawHeaders = Object.entries(all).flat();
  const signedHeaders = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const scope: SigV4Scope = { accessKeyId: credentials.accessKeyId, date: amzDate.slice(0, 8), region, service: 'lightsail' };
  const canonical = canonicalRequest(
    { method: request.method, url: request.url, rawHeaders, body: Buffer.from(request.body) },
    headerMap(rawHeaders),
    signedHeaders,
  );
  const stringToSign = [ALGORITHM, amzDate, `${scope.date}/${region}/lightsail/aws4_request`, sha256Hex(canonical)].join('\n');
  const signature = signingKeySignature(credentials.secretAccessKey, scope, stringToSign);
  return {
    ...all,
    authorization: `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope.date}/${region}/lightsail/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
}
