import { type KeyObject, createHash, createPrivateKey, generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * The SSH wire formats the emulator needs, built with Node's crypto so no
 * key ever touches a temporary file: OpenSSH public key blobs, fingerprints,
 * OpenSSH private keys an sshd can load, and user certificates signed by the
 * emulator's own CA.
 */
const generate = promisify(generateKeyPair);

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(n))));
  return b;
};

const sshString = (data: Buffer | string): Buffer => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([u32(bytes.length), bytes]);
};

/** A positive big-endian integer, with a leading zero byte when the top bit would read as a sign. */
const mpint = (bigEndian: Buffer): Buffer => {
  let i = 0;
  while (i < bigEndian.length && bigEndian[i] === 0) i += 1;
  let bytes = bigEndian.subarray(i);
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
};

const fromB64url = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'base64url');

/** The public half as OpenSSH encodes it on the wire and in `authorized_keys`. */
export function publicKeyBlob(key: KeyObject): { algorithm: string; blob: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') {
    return { algorithm: 'ssh-rsa', blob: Buffer.concat([sshString('ssh-rsa'), mpint(fromB64url(jwk.e)), mpint(fromB64url(jwk.n))]) };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { algorithm: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(fromB64url(jwk.x))]) };
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    const point = Buffer.concat([Buffer.from([4]), fromB64url(jwk.x), fromB64url(jwk.y)]);
    return {
      algorithm: 'ecdsa-sha2-nistp256',
      blob: Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp256'), sshString(point)]),
    };
  }
  throw new Error(`No SSH encoding for a ${jwk.kty ?? 'unknown'} key`);
}

/** `SHA256:...` and `SHA1:...`, unpadded base64, as `ssh-keygen -l` and Lightsail print them. */
export function fingerprints(blob: Buffer): { sha1: string; sha256: string } {
  const digest = (algorithm: string) => createHash(algorithm).update(blob).digest('base64').replace(/=+$/, '');
  return { sha1: `SHA1:${digest('sha1')}`, sha256: `SHA256:${digest('sha256')}` };
}

export interface GeneratedKey {
  algorithm: string;
  /** Loadable by OpenSSH (`ssh -i`, sshd's `HostKey`). */
  privateKeyPem: string;
  /** Base64 of the public key blob. */
  publicKey: string;
}

/** The RSA key pair Lightsail hands out with each access grant, in the PKCS#1 PEM the service uses. */
export async function newRsaKey(bits = 2048): Promise<GeneratedKey & { key: KeyObject }> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return {
    algorithm: 'ssh-rsa',
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: publicKeyBlob(publicKey).blob.toString('base64'),
    key: privateKey,
  };
}

/** An instance's host keys: ed25519 and ECDSA, as a fresh Ubuntu image has. */
export async function newHostKeys(): Promise<GeneratedKey[]> {
  const ed = await generate('ed25519');
  const ec = await generate('ec', { namedCurve: 'P-256' });
  const edBlob = publicKeyBlob(ed.publicKey).blob;
  return [
    { algorithm: 'ssh-ed25519', privateKeyPem: openSshEd25519Private(ed.privateKey, edBlob), publicKey: edBlob.toString('base64') },
    {
      algorithm: 'ecdsa-sha2-nistp256',
      privateKeyPem: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
      publicKey: publicKeyBlob(ec.publicKey).blob.toString('base64'),
    },
  ];
}

/** OpenSSH reads ed25519 private keys only in its own container format, never PEM. */
function openSshEd25519Private(privateKey: KeyObject, publicBlob: Buffer): string {
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = fromB64url(jwk.d);
  const pub = fromB64url(jwk.x);
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('')]);
  const pad: number[] = [];
  for (let i = 1; (section.length + pad.length) % 8 !== 0; i += 1) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'binary'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    u32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

export interface UserCertificate {
  /** The certificate line, as in `id_rsa-cert.pub`. */
  line: string;
  validAfter: number;
  validBefore: number;
}

/**
 * Signs an OpenSSH user certificate for `principal`. The CA signs with
 * rsa-sha2-512, which current OpenSSH accepts without loosening
 * `CASignatureAlgorithms` (Lightsail's own CA still signs with ssh-rsa).
 */
export function signUserCertificate(options: {
  caPrivateKeyPem: string;
  userKey: KeyObject;
  principal: string;
  keyId: string;
  serial: number;
  validAfterMs: number;
  validBeforeMs: number;
}): UserCertificate {
  const ca = createPrivateKey(options.caPrivateKeyPem);
  const caBlob = publicKeyBlob(ca).blob;
  const jwk = options.userKey.export({ format: 'jwk' });
  const type = 'ssh-rsa-cert-v01@openssh.com';
  const extensions = ['permit-X11-forwarding', 'permit-agent-forwarding', 'permit-port-forwarding', 'permit-pty', 'permit-user-rc']
    .map((name) => Buffer.concat([sshString(name), sshString('')]));
  const validAfter = Math.floor(options.validAfterMs / 1000);
  const validBefore = Math.floor(options.validBeforeMs / 1000);
  const toSign = Buffer.concat([
    sshString(type),
    sshString(randomBytes(32)),
    mpint(fromB64url(jwk.e)),
    mpint(fromB64url(jwk.n)),
    u64(options.serial),
    u32(1),
    sshString(options.keyId),
    sshString(sshString(options.principal)),
    u64(validAfter),
    u64(validBefore),
    sshString(''),
    sshString(Buffer.concat(extensions)),
    sshString(''),
    sshString(caBlob),
  ]);
  const signature = Buffer.concat([sshString('rsa-sha2-512'), sshString(sign('sha512', toSign, ca))]);
  const cert = Buffer.concat([toSign, sshString(signature)]);
  return { line: `${type} ${cert.toString('base64')}`, validAfter: validAfter * 1000, validBefore: validBefore * 1000 };
}
