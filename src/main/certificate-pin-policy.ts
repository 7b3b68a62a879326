import { X509Certificate } from 'node:crypto';
import { normalizeFingerprint } from '../core/access/pinned-https.js';

/** Chromium's answers to a certificate check: accept, refuse as invalid, or leave it to Chromium's own verification. */
export const CERTIFICATE_ACCEPT = 0;
export const CERTIFICATE_REFUSE = -2;
export const CERTIFICATE_DEFAULT = -3;

/**
 * The answer for a certificate a direct-HTTPS editor window is shown: on
 * the workspace's host only the certificate whose SHA-256 fingerprint
 * Porthole pinned (a CA-valid one is not enough; the pinned one need not be
 * CA-valid: code-server's is self-signed); other hosts get Chromium's own check.
 */
export function certificateVerdict(shown: { hostname: string; pem: string }, pin: { host: string; certificateSha256: string }): number {
  if (shown.hostname !== pin.host) return CERTIFICATE_DEFAULT;
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(shown.pem).fingerprint256;
  } catch {
    return CERTIFICATE_REFUSE;
  }
  return normalizeFingerprint(fingerprint) === normalizeFingerprint(pin.certificateSha256) ? CERTIFICATE_ACCEPT : CERTIFICATE_REFUSE;
}
