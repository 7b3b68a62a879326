import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprints, publicKeyBlob } from './ssh-keys.js';

describe('publicKeyBlob and fingerprints', () => {
  it('encodes keys as OpenSSH does', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const { algorithm, blob } = publicKeyBlob(publicKey);
    expect(algorithm).toBe('ssh-ed25519');
    expect(blob.toString('base64')).toMatch(/^AAAAC3NzaC1lZDI1NTE5AAAAI/);
    expect(blob.length).toBe(4 + 11 + 4 + 32);
    const prints = fingerprints(blob);
    expect(prints.sha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(prints.sha1).toMatch(/^SHA1:[A-Za-z0-9+/]{27}$/);
  });

  it('pads an RSA modulus whose top bit is set', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const { blob } = publicKeyBlob(publicKey);
    // string "ssh-rsa" (4+7), mpint e (4+3), then n: 129 bytes, a zero byte before the 128 of the modulus.
    const modulusAt = 4 + 7 + 4 + 3;
    expect(blob.readUInt32BE(modulusAt)).toBe(129);
    expect(blob[modulusAt + 4]).toBe(0);
    expect(blob.length).toBe(modulusAt + 4 + 129);
  });
});
