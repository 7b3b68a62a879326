/** What stands where a secret was. */
export const REDACTED = '[redacted]';

/**
 * Secrets by their shape: PEM blocks (private keys, certificates), OpenSSH
 * keys and certificates, argon2 hashes (enough to forge a code-server
 * session), AWS access key ids and secret keys, bearer tokens, JWTs, and
 * tokens, signatures, passwords and cookies in URLs, headers, YAML and JSON.
 */
const SHAPES: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, REDACTED],
  [/\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com)(?:-cert-v01@openssh\.com)?\s+AAAA[A-Za-z0-9+/=]+/g, REDACTED],
  [/\bAAAA[A-Za-z0-9+/]{60,}={0,2}/g, REDACTED],
  [/\$argon2(?:id|i|d)\$[A-Za-z0-9$=,+/.-]+/g, REDACTED],
  [/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme) => `${scheme} ${REDACTED}`],
  [
    // A flag or a count beside such a name ("hasPassword": true) is no secret, and JSON stays JSON.
    /(["']?[\w-]*(?:password|passwd|secret|token|signature|credential|session|cookie|private[_-]?key|access[_-]?key)[\w-]*["']?\s*[:=]\s*)(?!(?:true|false|null|\d+)\b)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi,
    (_m, key, value: string) => `${key}${value.startsWith('"') ? `"${REDACTED}"` : REDACTED}`,
  ],
];

/**
 * A text with every secret replaced: the values given (the workspace's own
 * password, exactly) and anything shaped like one.
 */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement as string);
  return out;
}
