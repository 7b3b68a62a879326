import { mkdir } from 'node:fs/promises';
import { PortholeError } from '../core/errors.js';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../core/settings/settings-store.js';
import { listEveryAccount } from '../core/workspaces/every-account.js';
import type { AccountListing } from '../shared/contract.js';
import { printJson, type CliIo } from './cli-io.js';
import { defaultDataDir, type GlobalOptions } from './context.js';
import { workspaceTable } from './format.js';
import { connectSandbox } from './sandbox-account.js';

/**
 * `porthole ls --all-accounts`: every enabled account's workspaces in one
 * list. An account that cannot be listed (an expired sign-in) is said with
 * its fix after the others are shown, and the command then fails, so a
 * script does not take a partial list for the whole.
 */
export async function printEveryAccount(options: GlobalOptions, io: CliIo): Promise<void> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir);
  const { workspaces, accounts } = await listEveryAccount({ dataDir, settings, secrets: new KeytarSecretStore(), connectSandbox: () => connectSandbox(dataDir) });
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
