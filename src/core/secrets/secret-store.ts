/**
 * Where workspace passwords live: the OS keychain, nothing else. Reads and
 * writes one service's entries, each named by an account string.
 */
export interface SecretStore {
  /** The secret stored for `account`, or undefined when there is none. */
  get(account: string): Promise<string | undefined>;
  /** Stores `secret` for `account`, replacing any earlier one. */
  set(account: string, secret: string): Promise<void>;
  /** True when there was a secret to delete. */
  delete(account: string): Promise<boolean>;
  /** The accounts that have a secret; never the secrets themselves. */
  list(): Promise<string[]>;
}
