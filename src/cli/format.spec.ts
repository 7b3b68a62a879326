import { describe, expect, it } from 'vitest';
import type { Workspace } from '../shared/workspace.js';
import { idleStopLabel, stateLabel, workspaceDetails } from './format.js';
import { workspaceView } from '../../test/support/workspace-view.js';

const base: Workspace = workspaceView({ idleTimeoutMinutes: 30 });

describe('workspace state in the CLI', () => {
  it('shows the launch script step while provisioning', () => {
    expect(stateLabel({ ...base, state: 'provisioning', provisioning: { index: 2, total: 3, step: 'start code-server' } })).toBe('provisioning (step 2/3 start code-server)');
    expect(stateLabel({ ...base, state: 'provisioning' })).toBe('provisioning');
  });

  it('shows the idle stop as a local clock time once warned, the rule otherwise', () => {
    const stopsAt = new Date(2026, 2, 10, 14, 32).toISOString();
    expect(stateLabel({ ...base, idleStopAt: stopsAt })).toBe('ready, idle: stops at 14:32');
    expect(idleStopLabel(base)).toBe('after 30 min idle');
    expect(idleStopLabel({ ...base, idleTimeoutMinutes: 0 })).toBe('never');
    expect(workspaceDetails({ ...base, idleStopAt: stopsAt })).toContain(`Idle stop:       stops at 14:32 (${stopsAt}) unless it is used`);
  });
});
