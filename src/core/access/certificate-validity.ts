/** How many length-prefixed public-key fields each certificate type carries before its serial. */
const KEY_FIELDS: Record<string, number> = {
  'ssh-rsa-cert-v01@openssh.com': 2,
  'ssh-ed25519-cert-v01@openssh.com': 1,
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': 2,
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': 2,
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': 2,
};

export interface CertificateValidity {
  validAfter: Date;
  /** Undefined for a certificate valid forever. */
  validBefore: Date | undefined;
}

/**
 * The validity window written in an OpenSSH certificate (PROTOCOL.certkeys),
 * read from the certificate itself so a stale one is named before sshd only
 * says "Permission denied". Undefined when the text is not a certificate.
 */
export function certificateValidity(certificate: string): CertificateValidity | undefined {
  const parts = certificate.trim().split(/\s+/);
  const blob = Buffer.from(parts.length > 1 ? parts[1]! : parts[0]!, 'base64');
  let offset = 0;
  const string = (): Buffer => {
    const length = blob.readUInt32BE(offset);
    const value = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };
  try {
    const type = string().toString('latin1');
    const fields = KEY_FIELDS[type];
    if (fields === undefined) return undefined;
    string(); // nonce
    for (let i = 0; i < fields; i++) string();
    offset += 8 + 4; // serial, type
    string(); // key id
    string(); // principals
    const validAfter = blob.readBigUInt64BE(offset);
    const validBefore = blob.readBigUInt64BE(offset + 8);
    return {
      validAfter: new Date(Number(validAfter) * 1000),
      validBefore: validBefore === 0xffffffffffffffffn ? undefined : new Date(Number(validBefore) * 1000),
    };
  } catch {
    return undefined;
  }
}
