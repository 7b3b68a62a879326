import type { WorkspaceAws } from '../../shared/workspace.js';
import type { InstanceStatus } from './engine-ports.js';

/**
 * A workspace's own AWS sign-in as the dashboard, the tray and notifications
 * show it: its profiles, and what its last status read found, judged at
 * `now` (a token read as current may have run out since).
 */
export function workspaceAws(profiles: readonly string[], read: InstanceStatus['awsSignIn'], now: number): WorkspaceAws {
  const aws = { profiles: [...profiles] };
  if (!read) return aws;
  if (!read.expiresAt) return { ...aws, signIn: 'signed-out' };
  return read.expiresAt.getTime() > now ? { ...aws, signIn: 'signed-in', signedInUntil: read.expiresAt.toISOString() } : { ...aws, signIn: 'expired' };
}
