import { describe, expect, it } from 'vitest';
import { MANAGED_TAG, WORKSPACE_TAG, isPortholeManaged, portholeTags, workspaceOf } from './porthole-tags.js';

describe('porthole tags', () => {
  it('marks a resource as Porthole’s and names its workspace, whatever the extra tags say', () => {
    const tags = portholeTags('dev', { owner: 'ana', [WORKSPACE_TAG]: 'other' });
    expect(tags).toEqual({ owner: 'ana', [MANAGED_TAG]: 'true', [WORKSPACE_TAG]: 'dev' });
    expect(isPortholeManaged(tags)).toBe(true);
    expect(workspaceOf(tags)).toBe('dev');
  });

  it('does not claim a resource without the managed tag', () => {
    expect(workspaceOf({ [WORKSPACE_TAG]: 'dev' })).toBeUndefined();
  });
});
