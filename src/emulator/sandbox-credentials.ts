/**
 * The sandbox account's key pair. It is public on purpose: it only opens the
 * local emulator, and having one fixed pair lets the CLI, the app and tests
 * sign requests exactly as they would for AWS.
 */
export const SANDBOX_CREDENTIALS = {
  accessKeyId: 'AKIALIGHTSAILLOCAL01',
  secretAccessKey: 'lightsail-local/sandbox/secret/key/0000000000',
} as const;

export interface CredentialPair {
  accessKeyId: string;
  secretAccessKey: string;
}
