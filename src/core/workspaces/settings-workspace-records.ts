import { withFileLock } from '../fs/file-lock.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { WorkspaceRecord, WorkspaceRecords } from './engine-ports.js';
import type { WorkspaceRef } from './workspace-ref.js';
import { staticIpNameFor } from './workspace-resources.js';

/**
 * The engine's workspace records, kept in the settings file beside the user's
 * other settings. Each change is a read-modify-write of that file under a
 * lock, because the app and CLI commands change records at the same time.
 */
export class SettingsWorkspaceRecords implements WorkspaceRecords {
  constructor(private readonly settings: SettingsStore) {}

  async list(account: string): Promise<WorkspaceRecord[]> {
    return this.settings
      .get()
      .workspaces.filter((record) => record.account === account)
      .map((record) => ({
        ...record,
        staticIpName: record.staticIpName ?? staticIpNameFor(record.name),
        keepsStaticIp: record.keepsStaticIp ?? true,
      }));
  }

  async put(record: WorkspaceRecord): Promise<void> {
    await withFileLock(this.#lockPath, async () => this.settings.saveWorkspace(record));
  }

  async remove(ref: WorkspaceRef): Promise<void> {
    await withFileLock(this.#lockPath, async () => this.settings.removeWorkspace(ref));
  }

  get #lockPath(): string {
    return `${this.settings.path}.lock`;
  }
}
