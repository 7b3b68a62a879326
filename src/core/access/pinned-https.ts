import { Agent, type AgentOptions } from 'node:https';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { PortholeError } from '../errors.js';

/** `AB:CD:...` upper-case, as Node and Electron print SHA-256 fingerprints. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/^sha256[:/]/i, '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

export function certificateMismatch(workspace: string, shown: string | undefined): PortholeError {
  return new PortholeError(
    'access-denied',
    `The HTTPS certificate of ${workspace} (${shown ?? 'none'}) is not the one Porthole pinned when it set the workspace up; refusing to connect. Someone may be intercepting the connection.`,
    { fix: `Check the instance in the Lightsail console before trusting it; nothing was sent to it.` },
  );
}

/**
 * Shows what certificate a TLS server presents, without sending it anything:
 * the handshake alone, then the connection is closed.
 */
export function presentedCertificate(host: string, port: number, timeoutMs = 10_000): Promise<{ fingerprint256: string; pem: string }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: false, timeout: timeoutMs });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (!cert) return reject(new Error('the server showed no certificate'));
      resolve({ fingerprint256: cert.fingerprint256, pem: cert.toString() });
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', reject);
  });
}

/**
 * An HTTPS agent that trusts exactly one certificate, by SHA-256
 * fingerprint. The certificate is fetched by a bare handshake first and, if
 * it matches, becomes the agent's only CA, so a request never reaches a
 * server with any other certificate; `checkServerIdentity` checks the
 * fingerprint again on every connection instead of the host name.
 */
export async function pinnedHttpsAgent(workspace: string, host: string, port: number, fingerprint256: string, options: AgentOptions = {}): Promise<Agent> {
  const pinned = normalizeFingerprint(fingerprint256);
  const shown = await presentedCertificate(host, port).catch((error: unknown) => {
    throw new PortholeError('network', `Could not reach code-server of ${workspace} over HTTPS at ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`, {
      fix: 'Check that the workspace is ready and that its firewall allows your IP, then try again.',
      cause: error,
    });
  });
  if (normalizeFingerprint(shown.fingerprint256) !== pinned) throw certificateMismatch(workspace, shown.fingerprint256);
  return new Agent({
    keepAlive: true,
    ...options,
    ca: new X509Certificate(shown.pem).toString(),
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      normalizeFingerprint(cert.fingerprint256) === pinned ? undefined : certificateMismatch(workspace, cert.fingerprint256),
  });
}
