/**
 * Which workspace. Lightsail names are unique only within an account and a
 * region, so all three together are the key everywhere a workspace is
 * remembered: the keychain, the operations journal, the settings.
 */
export interface WorkspaceRef {
  account: string;
  region: string;
  name: string;
}

export function sameWorkspace(a: WorkspaceRef, b: WorkspaceRef): boolean {
  return a.account === b.account && a.region === b.region && a.name === b.name;
}

export function describeWorkspace({ account, region, name }: WorkspaceRef): string {
  return `"${name}" (${account}, ${region})`;
}
