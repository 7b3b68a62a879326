import type { OperationProgress, Workspace } from '../../shared/workspace.js';

/**
 * The one stream every consumer (tray, window, notifications, CLI) reads.
 * `cause` tells a notification policy whether the user asked for the change
 * (and is likely watching) or it happened on its own (an idle stop, a failure).
 */
export type WorkspaceEvent =
  | { type: 'workspace-changed'; workspace: Workspace; previous?: Workspace; cause: 'user' | 'cloud' }
  | { type: 'workspace-removed'; workspace: Workspace }
  | { type: 'operation-progress'; workspace: string; region: string; account: string; progress: OperationProgress }
  | { type: 'refresh-failed'; account: string; message: string; kind: string }
  | { type: 'refreshed'; account: string; count: number }
  /** The account's credentials stopped (expired) or started again (ok) working; polling pauses meanwhile. */
  | { type: 'account'; account: string; health: 'expired' | 'ok'; message?: string; fix?: string }
  /** The workspace's idle agent has warned that it stops at `stopsAt` (ISO) unless it is used; sent once per warning. */
  | { type: 'idle-warning'; name: string; region: string; stopsAt: string; account?: string }
  /** A connection could not get through and this computer's public IP had changed: the SSH rule now lets in `to` (and `from` no more). */
  | { type: 'firewall-followed'; name: string; region: string; account: string; from?: string; to: string };

export type WorkspaceEventListener = (event: WorkspaceEvent) => void;

export class WorkspaceEventStream {
  readonly #listeners = new Set<WorkspaceEventListener>();

  subscribe(listener: WorkspaceEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: WorkspaceEvent): void {
    // One broken consumer must not starve the others of events.
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('A workspace event listener failed:', error);
      }
    }
  }
}
