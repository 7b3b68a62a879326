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

/**
 * The Lightsail instance behind a workspace. Lightsail cannot rename an
 * instance, so after a restore in place the workspace runs on one with
 * another name; until then (and for every older record) it is the
 * workspace's own name.
 */
export function instanceNameOf(workspace: { name: string; instanceName?: string | undefined }): string {
  return workspace.instanceName ?? workspace.name;
}
