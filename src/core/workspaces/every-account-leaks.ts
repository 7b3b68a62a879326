import { join } from 'node:path';
import { systemClock } from '../cloud/clock.js';
import { isPortholeError } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AccountSettings } from '../settings/settings-schema.js';
import { installationId } from '../settings/installation-id.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { openAccountEngine, type AccountEngine, type SandboxEndpoint } from './account-engine.js';
import type { Leak } from './leak-sweep.js';
import { listAccountLeaks, sweepLeak, sweepOrder } from './leak-sweeper.js';
import { OperationJournal } from './operation-journal.js';
import { SettingsWorkspaceRecords } from './settings-workspace-records.js';
import type { WorkspaceMadeElsewhere } from './workspaces-made-elsewhere.js';

export type AccountLeakListing =
  | { name: string; listed: true; regions: string[]; younger: number }
  | { name: string; listed: false; message: string; fix?: string };

export interface SweepResult {
  leak: Leak;
  error?: string;
}

export interface EveryAccountLeaksOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Finds or starts the Sandbox account's lightsail-local; released on close. */
  connectSandbox: () => Promise<SandboxEndpoint & { release(): Promise<void> }>;
  olderThanMs: number;
}

interface OpenAccount extends AccountEngine {
  journal: OperationJournal;
  release(): Promise<void>;
}

/**
 * The leak sweep over every enabled account: each is opened once (no
 * recovery runs, so what a crash interrupted shows), listed, and kept open
 * so the same engines can sweep what the user agreed to. An account that
 * cannot be listed is reported with its message and fix, not thrown.
 */
export class EveryAccountLeaks {
  readonly #options: EveryAccountLeaksOptions;
  readonly #open = new Map<string, OpenAccount>();
  accounts: AccountLeakListing[] = [];
  leaks: Leak[] = [];
  elsewhere: WorkspaceMadeElsewhere[] = [];

  private constructor(options: EveryAccountLeaksOptions) {
    this.#options = options;
  }

  static async open(options: EveryAccountLeaksOptions): Promise<EveryAccountLeaks> {
    const sweep = new EveryAccountLeaks(options);
    try {
      for (const account of options.settings.get().accounts.filter((a) => a.enabled !== false)) await sweep.#openAccount(account);
      await sweep.list();
    } catch (error) {
      await sweep.close();
      throw error;
    }
    return sweep;
  }

  /** Lists (again) every account that opened. */
  async list(): Promise<void> {
    const { settings, olderThanMs } = this.#options;
    const records = new SettingsWorkspaceRecords(settings);
    const leaks: Leak[] = [];
    const elsewhere: WorkspaceMadeElsewhere[] = [];
    const installation = installationId(this.#options.dataDir);
    this.accounts = await Promise.all(
      this.accounts.map(async (listing): Promise<AccountLeakListing> => {
        const open = this.#open.get(listing.name);
        if (!open) return listing;
        try {
          const found = await listAccountLeaks({ account: open.account.name, gateway: open.gateway, regions: open.account.regions, records, journal: open.journal, now: new Date(), olderThanMs, installation });
          leaks.push(...found.leaks);
          elsewhere.push(...found.elsewhere);
          return { name: listing.name, listed: true, regions: found.regions, younger: found.younger };
        } catch (error) {
          return failedListing(listing.name, error);
        }
      }),
    );
    this.leaks = leaks;
    this.elsewhere = elsewhere;
  }

  /** Removes the given leaks, operations first; each result says whether it went. */
  async sweep(leaks: readonly Leak[], onResult: (result: SweepResult) => void = () => {}): Promise<SweepResult[]> {
    const results: SweepResult[] = [];
    for (const leak of sweepOrder(leaks)) {
      const open = this.#open.get(leak.account);
      let result: SweepResult = { leak };
      try {
        if (!open) throw new Error(`account ${leak.account} is not open`);
        await sweepLeak(leak, { gateway: open.gateway, journal: open.journal, engine: open.engine, clock: systemClock });
      } catch (error) {
        result = { leak, error: error instanceof Error ? error.message : String(error) };
      }
      results.push(result);
      onResult(result);
    }
    return results;
  }

  async close(): Promise<void> {
    for (const open of this.#open.values()) {
      open.close();
      await open.release();
    }
    this.#open.clear();
  }

  async #openAccount(account: AccountSettings): Promise<void> {
    const { dataDir, settings, secrets } = this.#options;
    let sandbox: (SandboxEndpoint & { release(): Promise<void> }) | undefined;
    try {
      sandbox = account.kind === 'sandbox' ? await this.#options.connectSandbox() : undefined;
      const opened = await openAccountEngine({ dataDir, settings, secrets, account, instanceStatus: false, ...(sandbox ? { sandbox } : {}) });
      const journal = await OperationJournal.open(join(dataDir, 'journal.json'));
      this.#open.set(account.name, { ...opened, journal, release: async () => sandbox?.release() });
      this.accounts.push({ name: account.name, listed: true, regions: [], younger: 0 });
    } catch (error) {
      await sandbox?.release();
      this.accounts.push(failedListing(account.name, error));
    }
  }
}

function failedListing(name: string, error: unknown): AccountLeakListing {
  if (!isPortholeError(error)) throw error;
  return { name, listed: false, message: error.problem, ...(error.fix ? { fix: error.fix } : {}) };
}
