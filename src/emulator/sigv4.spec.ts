import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LightsailError } from './lightsail-error.js';
import { SANDBOX_CREDENTIALS } from './sandbox-credentials.js';
import { parseAuthorization, signRequest, verifyRequest } from './sigv4.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const options = { credentials: [SANDBOX_CREDENTIALS], acceptAnyCredentials: false, now: () => NOW };

function signed(body: string, url = '/', region = 'us-east-1') {
  const headers = signRequest(
    { method: 'POST', url, host: '127.0.0.1:8080', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Lightsail_20161128.GetRegions' }, body },
    SANDBOX_CREDENTIALS,
    region,
    NOW,
  );
  return { method: 'POST', url, rawHeaders: Object.entries(headers).flat(), body: Buffer.from(body) };
}

function refusal(run: () => unknown): LightsailError {
  try {
    run();
  } catch (error) {
    if (error instanceof LightsailError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifyRequest', () => {
  it('accepts what it signs, for any body and query, and reads the region from the scope', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string({ minLength: 1 }), fc.string()), fc.constantFrom('us-east-1', 'eu-west-2'), (body, query, region) => {
        const qs = new URLSearchParams(query).toString();
        const scope = verifyRequest(signed(body, qs ? `/?${qs}` : '/', region), options);
        expect(scope.region).toBe(region);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a changed body as a bad signature', () => {
    const request = signed('{"a":1}');
    const error = refusal(() => verifyRequest({ ...request, body: Buffer.from('{"a":2}') }, options));
    expect(error.type).toBe('InvalidSignatureException');
    expect(error.message).toContain('The Canonical String for this request should have been');
  });

  it('rejects an unknown key unless told to accept any', () => {
    const request = signed('{}');
    const other = { ...options, credentials: [{ accessKeyId: 'AKIAOTHER', secretAccessKey: 's' }] };
    expect(refusal(() => verifyRequest(request, other)).type).toBe('UnrecognizedClientException');
    expect(verifyRequest(request, { ...other, acceptAnyCredentials: true }).accessKeyId).toBe(SANDBOX_CREDENTIALS.accessKeyId);
  });

  it('rejects a signature from more than 15 minutes away', () => {
    const error = refusal(() => verifyRequest(signed('{}'), { ...options, now: () => NOW + 16 * 60_000 }));
    expect(error.type).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired/);
  });
});

describe('parseAuthorization', () => {
  it('tells a missing header from an incomplete one', () => {
    expect(refusal(() => parseAuthorization(undefined)).type).toBe('MissingAuthenticationTokenException');
    const incomplete = refusal(() => parseAuthorization('AWS4-HMAC-SHA256 SignedHeaders=host'));
    expect(incomplete.type).toBe('IncompleteSignatureException');
    expect(incomplete.message).toContain("requires 'Credential' parameter");
    expect(incomplete.message).toContain("requires 'Signature' parameter");
  });

  it('insists on the lightsail service in the scope', () => {
    const header = `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${'a'.repeat(64)}`;
    expect(refusal(() => parseAuthorization(header)).message).toContain("'lightsail'");
  });
});
