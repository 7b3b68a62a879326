import { X509Certificate } from 'node:crypto';
import { normalizeFingerprint } from '../core/access/pinned-https.js';

/** Chromium's answers to a certificate check (net error codes): accept, or refuse as invalid. */
export const CERTIFICATE_ACCEPT = 0;
export const CERTIFICATE_REFUSE = -2;

/**
 * The answer for a certificate a direct-HTTPS editor window is shown: only
 * the workspace's host, and only the certificate whose SHA-256 fingerprint
 * Porthole pinned; a CA-valid one is not enough, a pinned one need not be
 * CA-valid (code-server's is self-signed).
 */
export function certificateVerdict(shown: { hostname: string; pem: string }, pin: { host: string; certificateSha256: string }): number {
  if (shown.hostname !== pin.host) return CERTIFICATE_REFUSE;
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(shown.pem).fingerprint256;
  } catch {
    return CERTIFICATE_REFUSE;
  }
  return normalizeFingerprint(fingerprint) === normalizeFingerprint(pin.certificateSha256) ? CERTIFICATE_ACCEPT : CERTIFICATE_REFUSE;
}
