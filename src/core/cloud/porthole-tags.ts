import type { Tags } from './model.js';

/** Marks every Lightsail resource Porthole created, so it never touches anything else. */
export const MANAGED_TAG = 'porthole:managed';
export const MANAGED_TAG_VALUE = 'true';
/** Names the workspace a resource belongs to, so a workspace can be rebuilt from the cloud alone. */
export const WORKSPACE_TAG = 'porthole:workspace';
/** Names the launch an instance was created with, as its launch script's progress markers do; only that launch's markers count. */
export const LAUNCH_TAG = 'porthole:launch';

/** Names the Porthole installation (one computer's data folder) that made a resource, so doctor never calls another computer's workspace a leak. */
export const INSTALLATION_TAG = 'porthole:installation';

/** Marks what one run of the live acceptance suite made, so a later run can sweep what a killed one left. */
export const TEST_RUN_TAG = 'porthole:test-run';
const PORTHOLE_TAG_PREFIX = 'porthole:';

/** The tags a new resource of `workspace` carries; Porthole's own win over any extra of the same key. */
export function portholeTags(workspace: string, extra: Tags = {}): Tags {
  return { ...extra, [MANAGED_TAG]: MANAGED_TAG_VALUE, [WORKSPACE_TAG]: workspace };
}

export function isPortholeManaged(tags: Tags): boolean {
  return tags[MANAGED_TAG] === MANAGED_TAG_VALUE;
}

export function workspaceOf(tags: Tags): string | undefined {
  return isPortholeManaged(tags) ? tags[WORKSPACE_TAG] : undefined;
}

/** Whether any tag is Porthole's (`porthole:*`): such a resource is Porthole's to account for, or a leak. */
export function hasPortholeTag(tags: Tags): boolean {
  return Object.keys(tags).some((key) => key.startsWith(PORTHOLE_TAG_PREFIX));
}
