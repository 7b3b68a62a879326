import type { SecretStore } from '../../src/core/secrets/secret-store.js';

/**
 * The keychain is not what the benchmarks measure, and a bench must not
 * leave hundreds of entries in a real one: this store keeps them in memory.
 * It only answers "which workspaces have a password".
 */
export class MemorySecretStore implements SecretStore {
  readonly #entries = new Map<string, string>();
  async get(account: string) {
    return this.#entries.get(account);
  }
  async set(account: string, secret: string) {
    this.#entries.set(account, secret);
  }
  async delete(account: string) {
    return this.#entries.delete(account);
  }
  async list() {
    return [...this.#entries.keys()];
  }
}
