import type { WorkspaceRef } from '../../shared/contract.js';

export type SessionCookies = ReadonlyArray<{ name: string; value: string; path: string; httpOnly: boolean; secure: boolean }>;

/**
 * An open workspace: where its code-server answers on this machine and the
 * session cookie that logs a browser in. Whoever opened it releases it; the
 * tunnel behind it closes when its last user has.
 */
export interface WorkspaceSession {
  url: string;
  origin: string;
  /** The cookies of now: a tunnel that follows its workspace to a new instance logs in there again. */
  cookies: SessionCookies;
  /** Calls `listener` with the new cookies after such a login; returns how to stop. */
  onRenewed?(listener: (cookies: SessionCookies) => void): () => void;
  /** Set for direct access: the SHA-256 fingerprint the code-server certificate must have. */
  certificateSha256?: string;
  release(): Promise<void>;
}

/** What the Electron window and the CLI use to reach a workspace's code-server. */
export interface WorkspaceAccess {
  open(ref: WorkspaceRef): Promise<WorkspaceSession>;
  closeAll(): Promise<void>;
}
