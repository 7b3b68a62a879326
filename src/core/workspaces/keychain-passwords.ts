import type { SecretStore } from '../secrets/secret-store.js';
import { parseSecretAccount, secretAccount } from '../secrets/secret-account.js';
import type { PasswordVault } from './engine-ports.js';
import type { WorkspaceRef } from './workspace-ref.js';

/** Workspace passwords in the OS keychain, one entry per account/region/workspace. */
export class KeychainPasswords implements PasswordVault {
  readonly #store: SecretStore;

  constructor(store: SecretStore) {
    this.#store = store;
  }

  get(ref: WorkspaceRef): Promise<string | undefined> {
    return this.#store.get(secretAccount(ref));
  }

  set(ref: WorkspaceRef, password: string): Promise<void> {
    return this.#store.set(secretAccount(ref), password);
  }

  async delete(ref: WorkspaceRef): Promise<void> {
    await this.#store.delete(secretAccount(ref));
  }

  async list(account: string): Promise<WorkspaceRef[]> {
    return (await this.#store.list())
      .map(parseSecretAccount)
      .filter((ref): ref is WorkspaceRef => ref !== undefined && ref.account === account);
  }
}
