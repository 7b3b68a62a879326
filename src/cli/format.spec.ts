import { describe, expect, it } from 'vitest';
import type { Workspace } from '../shared/workspace.js';
import { changeLine, idleStopLabel, instanceProbeLabel, removedLine, stateLabel, watchFrame, workspaceStatusDetails } from './format.js';
import { workspaceView } from '../../test/support/workspace-view.js';

const base: Workspace = workspaceView({ idleTimeoutMinutes: 30 });
const AT = new Date(2026, 2, 10, 14, 3, 7);

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
    const details = workspaceStatusDetails({ ...base, idleStopAt: stopsAt, instance: { outcome: 'read', at: AT.toISOString(), provisioning: { done: true } } });
    expect(details).toContain(`Idle stop:       stops at 14:32 (${stopsAt}) unless it is used`);
  });
});

describe('porthole status', () => {
  it('puts what the instance said under the state and reason, before the account, and the ports it listens on once read', () => {
    const reason = 'Provisioning failed at step 3 of 4 (start code-server): its code-server exited (1).';
    const lines = workspaceStatusDetails({
      ...base,
      state: 'error',
      reason,
      publicIp: '203.0.113.7',
      instance: { outcome: 'read', at: AT.toISOString(), provisioning: { done: false, failure: reason, step: { index: 3, total: 4, name: 'start code-server' } } },
    }).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Name:            demo',
      'State:           error',
      `Reason:          ${reason}`,
      'Instance:        read at 14:03:07: its launch script failed at step 3 of 4 (start code-server)',
      'Account:         sandbox',
    ]);
    expect(lines).toContain('IP:              203.0.113.7');
    expect(lines.some((line) => line.startsWith('Ports:'))).toBe(false);
    const ready = (ports: Workspace['ports']) => workspaceStatusDetails({ ...base, ...(ports ? { ports } : {}), instance: { outcome: 'read', at: AT.toISOString(), provisioning: { done: true } } });
    expect(ready([{ port: 3000, host: '127.0.0.1', process: 'node' }, { port: 5432, host: '::1' }])).toContain('\nPorts:           3000 (node), 5432\n');
    expect(ready([])).toContain('\nPorts:           none of its own programs listens\n');
    expect(lines).toContain('Access:          SSH tunnel (code-server on the instance loopback only)');
  });

  it('says where the launch script is, that it is done, or that it has not begun', () => {
    const read = (provisioning: { done: boolean; step?: { index: number; total: number; name: string } }) => instanceProbeLabel({ outcome: 'read', at: AT.toISOString(), provisioning });
    expect(read({ done: false, step: { index: 2, total: 4, name: 'configure code-server' } })).toBe('read at 14:03:07: its launch script is at step 2 of 4 (configure code-server)');
    expect(read({ done: true, step: { index: 4, total: 4, name: 'wait for code-server to answer' } })).toBe('read at 14:03:07: provisioned (all 4 launch script steps done)');
    expect(read({ done: false })).toBe('read at 14:03:07: its launch script has not begun yet');
  });

  it('says why the instance was not asked, or why the read failed', () => {
    expect(instanceProbeLabel({ outcome: 'not-asked', why: 'not-running', message: 'Its instance was not asked: the workspace is stopped, not running.' })).toBe(
      'Its instance was not asked: the workspace is stopped, not running.',
    );
    expect(instanceProbeLabel({ outcome: 'failed', kind: 'timeout', message: 'Reading the status of demo over SSH took longer than 10 s.' })).toBe(
      'could not be read: Reading the status of demo over SSH took longer than 10 s.',
    );
  });
});

describe('porthole ls --watch', () => {
  it('gives a line per state change, with the step while an operation runs and the reason of an error', () => {
    expect(changeLine(undefined, base, AT)).toBe('14:03:07 demo ready');
    expect(changeLine(base, { ...base, state: 'stopping' }, AT)).toBe('14:03:07 demo ready -> stopping');
    expect(changeLine(base, { ...base, state: 'stopping', operation: { kind: 'stop', step: 'stop the instance', index: 1, total: 2 } }, AT)).toBe(
      '14:03:07 demo ready -> stopping (1/2 stop the instance)',
    );
    expect(changeLine({ ...base, state: 'provisioning' }, { ...base, state: 'error', reason: 'Provisioning failed at step 3 of 4.' }, AT)).toBe(
      '14:03:07 demo provisioning -> error: Provisioning failed at step 3 of 4.',
    );
  });

  it('gives a line for a new step or address, and none when nothing the list shows changed', () => {
    const provisioning = (index: number): Workspace => ({ ...base, state: 'provisioning', provisioning: { index, total: 4, step: `step ${index}` } });
    expect(changeLine(provisioning(1), provisioning(2), AT)).toBe('14:03:07 demo provisioning (step 2/4 step 2)');
    expect(changeLine({ ...base, state: 'stopped' }, { ...base, state: 'stopped', publicIp: '203.0.113.7' }, AT)).toBe('14:03:07 demo address - -> 203.0.113.7');
    expect(changeLine(base, { ...base, hasPassword: false }, AT)).toBeUndefined();
    expect(removedLine(base, AT)).toBe('14:03:07 demo removed');
  });

  it('draws the list under a heading with the time, or says none is there yet, with a notice under it', () => {
    const frame = watchFrame('sandbox', [base], AT);
    expect(frame.split('\n')[0]).toBe('Account sandbox, as of 14:03:07. Ctrl-C to stop.');
    expect(frame).toMatch(/\nNAME\s+STATE\s+REGION.*\ndemo\s+ready\s+us-east-1/);
    expect(frame.endsWith('\n')).toBe(true);
    expect(watchFrame('sandbox', [], AT, 'porthole: could not refresh the list: offline')).toBe(
      'Account sandbox, as of 14:03:07. Ctrl-C to stop.\nNo workspaces yet; they show here as they appear.\nporthole: could not refresh the list: offline\n',
    );
  });
});
