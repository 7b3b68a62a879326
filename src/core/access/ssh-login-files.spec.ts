import { describe, expect, it } from 'vitest';
import type { AccessDetails } from '../cloud/model.js';
import { normalizeFingerprint } from './pinned-https.js';
import { sshFailure } from './ssh-login-files.js';

const details = (expiresAt: Date): AccessDetails => ({ instanceName: 'demo', username: 'ubuntu', ipAddress: '203.0.113.7', privateKey: 'k', certificate: 'c', expiresAt, hostKeys: [] });
const now = new Date('2030-01-01T00:00:00Z');

describe("what ssh's failures mean to the user", () => {
  it('names a changed host key and refuses, whichever way ssh says it', () => {
    for (const stderr of ['@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.', 'No ED25519 host key is known for porthole-x and you have requested strict checking.\nHost key verification failed.']) {
      const error = sshFailure('demo', stderr, details(new Date('2031-01-01')), now);
      expect(error.kind).toBe('access-denied');
      expect(error.message).toContain('The host key of demo does not match what Lightsail reports; refusing to connect');
    }
  });

  it('says a refused login with an expired certificate is about the certificate', () => {
    const error = sshFailure('demo', 'ubuntu@127.0.0.1: Permission denied (publickey).', details(new Date('2029-12-31T23:50:00Z')), now);
    expect(error.kind).toBe('credentials');
    expect(error.message).toContain('The SSH certificate for demo expired at 2029-12-31T23:50:00.000Z');
  });

  it('keeps a refused valid certificate and a network failure apart', () => {
    expect(sshFailure('demo', 'Permission denied (publickey).', details(new Date('2031-01-01')), now).message).toContain('refused the Lightsail certificate');
    const network = sshFailure('demo', 'ssh: connect to host 203.0.113.7 port 22: Connection refused', details(new Date('2031-01-01')), now);
    expect(network.kind).toBe('network');
    expect(network.message).toContain('Connection refused');
  });
});

describe('normalizeFingerprint', () => {
  it('reads the forms Node, OpenSSL and people write alike', () => {
    const canonical = `AB:${'01:'.repeat(30)}CD`;
    expect(normalizeFingerprint(canonical.toLowerCase())).toBe(canonical);
    expect(normalizeFingerprint(`sha256:${canonical.replaceAll(':', '')}`)).toBe(canonical);
  });
});
