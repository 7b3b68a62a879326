import type { AccountListing, EveryAccountListing } from '../../shared/contract.js';
import type { Workspace } from '../../shared/workspace.js';
import { isPortholeError } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { openAccountEngine, type SandboxEndpoint } from './account-engine.js';

export interface EveryAccountOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Finds or starts the Sandbox account's lightsail-local; released after listing it. */
  connectSandbox: () => Promise<SandboxEndpoint & { release(): Promise<void> }>;
  /** An account whose workspaces the caller already has (the app's active account): not listed again. */
  known?: { account: string; workspaces: readonly Workspace[] };
}

/**
 * Every enabled account's workspaces, each account listed once from the
 * cloud (no recovery, no polling: a look, not a takeover). An account that
 * cannot be listed, such as one whose sign-in expired, is reported with its
 * message and fix instead of failing the others.
 */
export async function listEveryAccount(options: EveryAccountOptions): Promise<EveryAccountListing> {
  const { dataDir, settings, secrets, known } = options;
  const workspaces: Workspace[] = [];
  const accounts: AccountListing[] = [];
  for (const account of settings.get().accounts.filter((a) => a.enabled !== false)) {
    if (known?.account === account.name) {
      workspaces.push(...known.workspaces);
      accounts.push({ name: account.name, listed: true, count: known.workspaces.length });
      continue;
    }
    try {
      const sandbox = account.kind === 'sandbox' ? await options.connectSandbox() : undefined;
      try {
        const opened = await openAccountEngine({ dataDir, settings, secrets, account, instanceStatus: false, ...(sandbox ? { sandbox } : {}) });
        try {
          const found = await opened.engine.refresh();
          workspaces.push(...found);
          accounts.push({ name: account.name, listed: true, count: found.length });
        } finally {
          opened.close();
        }
      } finally {
        await sandbox?.release();
      }
    } catch (error) {
      if (!isPortholeError(error)) throw error;
      accounts.push({ name: account.name, listed: false, message: error.message, ...(error.fix ? { fix: error.fix } : {}) });
    }
  }
  return { workspaces, accounts };
}
