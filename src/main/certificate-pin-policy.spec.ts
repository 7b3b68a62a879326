import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_ACCEPT, CERTIFICATE_DEFAULT, CERTIFICATE_REFUSE, certificateVerdict } from './certificate-pin-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'porthole-pin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate like code-server's, made by openssl. */
function selfSigned(name: string): string {
  const cert = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', cert], { stdio: 'ignore' });
  return readFileSync(cert, 'utf8');
}

describe('certificateVerdict', () => {
  const pinned = selfSigned('pinned');
  const other = selfSigned('other');
  const pin = { host: '203.0.113.7', certificateSha256: new X509Certificate(pinned).fingerprint256 };

  it('accepts the pinned certificate on the workspace host, in any fingerprint spelling', () => {
    expect(certificateVerdict({ hostname: '203.0.113.7', pem: pinned }, pin)).toBe(CERTIFICATE_ACCEPT);
    const lower = pin.certificateSha256.replaceAll(':', '').toLowerCase();
    expect(certificateVerdict({ hostname: '203.0.113.7', pem: pinned }, { ...pin, certificateSha256: lower })).toBe(CERTIFICATE_ACCEPT);
  });

  it('refuses another certificate, even a well-formed one', () => {
    expect(certificateVerdict({ hostname: '203.0.113.7', pem: other }, pin)).toBe(CERTIFICATE_REFUSE);
  });

  it('leaves other hosts to the normal check, so the pin does not vouch for them', () => {
    expect(certificateVerdict({ hostname: '203.0.113.8', pem: pinned }, pin)).toBe(CERTIFICATE_DEFAULT);
  });

  it('refuses what is not a certificate', () => {
    expect(certificateVerdict({ hostname: '203.0.113.7', pem: 'not a certificate' }, pin)).toBe(CERTIFICATE_REFUSE);
  });
});
