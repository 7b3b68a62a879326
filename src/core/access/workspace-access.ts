import type { WorkspaceRef } from '../../shared/contract.js';

/**
 * An open workspace: where its code-server answers on this machine and the
 * session cookie that logs a browser in. Whoever opened it releases it; the
 * tunnel behind it closes when its last user has.
 */
export interface WorkspaceSession {
  url: string;
  origin: string;
  cookies: ReadonlyArray<{ name: string; value: string; path: string; httpOnly: boolean; secure: boolean }>;
  /** Set for direct access: the SHA-256 fingerprint the code-server certificate must have. */
  certificateSha256?: string;
  release(): Promise<void>;
}

/** What the Electron window and the CLI use to reach a workspace's code-server. */
export interface WorkspaceAccess {
  open(ref: WorkspaceRef): Promise<WorkspaceSession>;
  closeAll(): Promise<void>;
}
