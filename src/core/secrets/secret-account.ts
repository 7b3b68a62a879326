import { validateRegion, validateWorkspaceName } from '../workspaces/workspace-name.js';
import type { WorkspaceRef } from '../workspaces/workspace-ref.js';

/**
 * The keychain account a workspace password is stored under, such as
 * `sandbox/us-east-1/demo`: readable in the system's password manager, and
 * unique because Lightsail names are unique per account and region. Region
 * and name cannot hold a slash; the account name is encoded in case it does.
 */
export function secretAccount({ account, region, name }: WorkspaceRef): string {
  for (const problem of [validateRegion(region), validateWorkspaceName(name)]) {
    if (problem) throw problem;
  }
  return `${encodeURIComponent(account)}/${region}/${name}`;
}

/** The workspace a keychain account names, or undefined for an entry Porthole did not write. */
export function parseSecretAccount(text: string): WorkspaceRef | undefined {
  const parts = text.split('/');
  if (parts.length !== 3) return undefined;
  const [encodedAccount = '', region = '', name = ''] = parts;
  let account: string;
  try {
    account = decodeURIComponent(encodedAccount);
  } catch {
    return undefined;
  }
  if (account.length === 0 || validateRegion(region) || validateWorkspaceName(name)) return undefined;
  return { account, region, name };
}
