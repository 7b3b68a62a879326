import { PortholeError } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AccountSettings } from '../settings/settings-schema.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { openAccountEngine, type AccountEngine, type SandboxEndpoint } from './account-engine.js';
import { WorkspacePoller } from './workspace-poller.js';

export interface AccountRegistryOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  sandbox?: SandboxEndpoint;
}

export interface RegisteredAccount extends AccountEngine {
  poller: WorkspacePoller;
  health(): 'ok' | 'expired';
}

/**
 * One engine and poller per enabled account, so the app lists every
 * account's workspaces at once. An account whose credentials expire pauses
 * alone and says so on its engine's event stream; `signedIn` resumes it with
 * its workspaces as they were.
 */
export class AccountRegistry {
  readonly #accounts = new Map<string, RegisteredAccount>();

  private constructor() {}

  static async open(options: AccountRegistryOptions): Promise<AccountRegistry> {
    const registry = new AccountRegistry();
    const enabled = options.settings.get().accounts.filter((account) => account.enabled !== false);
    try {
      for (const account of enabled) {
        if (account.kind === 'sandbox' && !options.sandbox) continue; // the Sandbox only when its emulator runs
        registry.#accounts.set(account.name, await registry.#open(account, options));
      }
    } catch (error) {
      registry.close();
      throw error;
    }
    return registry;
  }

  async #open(account: AccountSettings, options: AccountRegistryOptions): Promise<RegisteredAccount> {
    const opened = await openAccountEngine({ ...options, account });
    let health: 'ok' | 'expired' = 'ok';
    const poller = new WorkspacePoller(opened.engine, {
      onCredentials: (next, error) => {
        health = next;
        const fix = error instanceof PortholeError ? error.fix : undefined;
        opened.engine.events.emit({
          type: 'account',
          account: account.name,
          health: next,
          ...(error instanceof Error ? { message: error.message } : {}),
          ...(fix ? { fix } : {}),
        });
      },
    });
    return { ...opened, poller, health: () => health };
  }

  list(): RegisteredAccount[] {
    return [...this.#accounts.values()];
  }

  get(account: string): RegisteredAccount {
    const found = this.#accounts.get(account);
    if (!found) {
      throw new PortholeError('usage', `Account "${account}" is not enabled.`, {
        fix: `Run "porthole account use ${account}" or enable it in the settings.`,
      });
    }
    return found;
  }

  startPolling(): void {
    for (const entry of this.#accounts.values()) entry.poller.start();
  }

  /** After `porthole login` or the app's sign-in: refresh the account now and poll again if it works. */
  async signedIn(account: string): Promise<'ok' | 'expired'> {
    const entry = this.get(account);
    await entry.poller.resume();
    return entry.health();
  }

  close(): void {
    for (const entry of this.#accounts.values()) {
      entry.poller.stop();
      entry.close();
    }
    this.#accounts.clear();
  }
}
