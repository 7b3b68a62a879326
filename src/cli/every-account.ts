import { mkdir } from 'node:fs/promises';
import { isPortholeError, PortholeError } from '../core/errors.js';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../core/settings/settings-store.js';
import { openAccountEngine } from '../core/workspaces/account-engine.js';
import type { Workspace } from '../shared/workspace.js';
import { printJson, type CliIo } from './cli-io.js';
import { defaultDataDir, type GlobalOptions } from './context.js';
import { workspaceTable } from './format.js';
import { connectSandbox } from './sandbox-account.js';

export type AccountListing = { name: string; listed: true; count: number } | { name: string; listed: false; message: string; fix?: string };

/**
 * `porthole ls --all-accounts`: every enabled account's workspaces in one
 * list. An account that cannot be listed (an expired sign-in) is said with
 * its fix after the others are shown, and the command then fails, so a
 * script does not take a partial list for the whole.
 */
export async function listEveryAccount(options: GlobalOptions, io: CliIo): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir);
  const secrets = new KeytarSecretStore();
  const workspaces: Workspace[] = [];
  const accounts: AccountListing[] = [];
  for (const account of settings.get().accounts.filter((a) => a.enabled !== false)) {
    try {
      const sandbox = account.kind === 'sandbox' ? await connectSandbox(dataDir) : undefined;
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
  if (options.json) printJson(io, { workspaces, accounts });
  else if (workspaces.length > 0) io.stdout.write(`${workspaceTable(workspaces, { withAccount: true })}\n`);
  else io.stdout.write(`No workspaces in ${accounts.filter((a) => a.listed).map((a) => a.name).join(', ') || 'any account'}.\n`);
  const failed = accounts.filter((a): a is Extract<AccountListing, { listed: false }> => !a.listed);
  if (failed.length > 0) {
    if (!options.json) for (const a of failed) io.stderr.write(`porthole: account ${a.name} could not be listed: ${a.message}\n`);
    throw new PortholeError('credentials', `${failed.length} of ${accounts.length} accounts could not be listed: ${failed.map((a) => a.name).join(', ')}.`, {
      ...(failed[0]!.fix ? { fix: failed[0]!.fix } : {}),
    });
  }
}
