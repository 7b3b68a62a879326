import type { PortholeApi } from '../../shared/contract';
import type { Workspace } from '../../shared/workspace';

const keyOf = (w: { name: string; region: string }) => `${w.region}/${w.name}`;

export interface WorkspaceSnapshot {
  account: string;
  loaded: boolean;
  workspaces: readonly Workspace[];
}

/**
 * The workspaces as the core last told them: a full list on connect and
 * after a refresh, then one change at a time. Sorting happens once per
 * batch of events, not once per event, so a poll that touches all 1,000
 * workspaces renders once.
 */
export class WorkspaceStore {
  readonly #byKey = new Map<string, Workspace>();
  readonly #listeners = new Set<() => void>();
  #snapshot: WorkspaceSnapshot = { account: '', loaded: false, workspaces: [] };
  #scheduled = false;

  constructor(api: PortholeApi) {
    api.on('workspacesReset', ({ account, workspaces }) => {
      this.#byKey.clear();
      for (const w of workspaces) this.#byKey.set(keyOf(w), w);
      this.#snapshot = { ...this.#snapshot, account };
      this.#changed(true);
    });
    // Every enabled account's changes arrive (the All accounts view shows them); this list is the active account's.
    api.on('workspaceChanged', ({ workspace }) => {
      if (!this.#isActive(workspace.account)) return;
      this.#byKey.set(keyOf(workspace), workspace);
      this.#changed();
    });
    api.on('workspaceRemoved', (ref) => {
      if (!this.#isActive(ref.account)) return;
      this.#byKey.delete(keyOf(ref));
      this.#changed();
    });
    api.on('operationProgress', ({ name, region, account, progress }) => {
      if (!this.#isActive(account)) return;
      const current = this.#byKey.get(keyOf({ name, region }));
      if (!current) return;
      this.#byKey.set(keyOf(current), { ...current, operation: progress });
      this.#changed();
    });
    // The first reset may have gone by before this store listened: ask once, unless one has come since.
    void Promise.all([api.listWorkspaces(), api.getSettings()]).then(([workspaces, settings]) => {
      if (this.#snapshot.loaded) return;
      for (const w of workspaces) this.#byKey.set(keyOf(w), w);
      this.#snapshot = { ...this.#snapshot, account: settings.activeAccount };
      this.#changed(true);
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): WorkspaceSnapshot => this.#snapshot;

  #isActive(account: string): boolean {
    return this.#snapshot.account === '' || this.#snapshot.account === account;
  }

  #changed(now = false): void {
    if (now) return this.#publish();
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#publish());
  }

  #publish(): void {
    this.#scheduled = false;
    const workspaces = [...this.#byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region));
    this.#snapshot = { account: this.#snapshot.account, loaded: true, workspaces };
    for (const listener of this.#listeners) listener();
  }
}
