import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redaction.js';

describe('redact', () => {
  it('removes the known password wherever it stands', () => {
    expect(redact('login with Zq9-pass-word now', ['Zq9-pass-word'])).toBe(`login with ${REDACTED} now`);
  });

  it('removes secrets by their shape and leaves the rest of the line', () => {
    const samples = [
      "hashed-password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'",
      'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- after',
      'cert ssh-rsa-cert-v01@openssh.com AAAAHHNzaC1yc2EtY2VydC12MDFAb3BlbnNzaC5jb20AAAAg',
      'id AKIAIOSFODNN7EXAMPLE used',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '{"secretAccessKey":"wJalrXUtnFEMI/K7MDENG","sessionToken":"IQoJb3JpZ2luX2VjE"}',
      'GET /.porthole/login?token=abcdefghijklmnop HTTP/1.1',
      'Authorization: Bearer abcdefghijklmnopqrstu',
      'cookie code-server-session=%24argon2id%24v%3D19',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ];
    const secrets = ['$argon2id$', 'MIIEow', 'AAAAHHNzaC1yc2E', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'IQoJb3JpZ2luX2VjE', 'abcdefghijklmnop', 'abcdefghijklmnopqrstu', '%24argon2id', 'eyJhbGciOiJIUzI1NiJ9'];
    const out = redact(samples.join('\n'));
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain('hashed-password: [redacted]');
    expect(out).toContain(' after');
    expect(out).toContain('id [redacted] used');
    expect(out).toContain('GET /.porthole/login?token=[redacted] HTTP/1.1');
  });

  it('keeps JSON valid and flags beside secret-sounding names', () => {
    expect(JSON.parse(redact('{"hasPassword": true, "sessionToken": "abc123456", "tokens": 3}'))).toEqual({ hasPassword: true, sessionToken: REDACTED, tokens: 3 });
  });

  it('leaves ordinary log lines alone', () => {
    const line = '2026-12-04T05:28:51Z porthole: step 1 of 4: apply the layers';
    expect(redact(line)).toBe(line);
    expect(redact('[2026-12-04T05:28:55.254Z] info  HTTP server listening on http://127.0.0.1:42749/')).toContain('HTTP server listening');
  });
});
