import { describe, expect, it } from 'vitest';
import { workspaceView } from '../../../test/support/workspace-view.js';
import { PortholeError } from '../errors.js';
import type { InstanceStatus, InstanceStatusSource } from './engine-ports.js';
import { probeWorkspace, unprobed, withInstanceStatus } from './workspace-probe.js';

const AT = new Date('2026-03-10T14:00:00Z');
const answering = (status: InstanceStatus, asked: string[] = []): InstanceStatusSource => ({
  read: async (ref) => {
    asked.push(`${ref.region}/${ref.name}`);
    return status;
  },
});

describe('a workspace with what its instance said', () => {
  it('is provisioning at the step its markers name', () => {
    const seen = withInstanceStatus(workspaceView(), { provisioning: { done: false, step: { index: 2, total: 4, name: 'configure code-server' } } });
    expect(seen).toMatchObject({ state: 'provisioning', provisioning: { index: 2, total: 4, step: 'configure code-server' } });
    expect(seen.idleStopAt).toBeUndefined();
  });

  it('is in error naming the failed step and why', () => {
    const failure = 'Provisioning failed at step 3 of 4 (start code-server): its code-server exited (1).';
    const seen = withInstanceStatus(workspaceView(), { provisioning: { done: false, failure, step: { index: 3, total: 4, name: 'start code-server' } } });
    expect(seen).toMatchObject({ state: 'error', reason: failure });
    expect(seen.provisioning).toBeUndefined();
  });

  it('is ready with the ports it listens on, and the idle stop time once its idle agent warned', () => {
    const stopsAt = new Date('2026-03-10T14:32:00Z');
    const ports = [{ port: 3000, host: '127.0.0.1' as const, process: 'node' }];
    const seen = withInstanceStatus(workspaceView({ reason: 'stale' }), { provisioning: { done: true, step: { index: 4, total: 4, name: 'wait' } }, idleStopAt: stopsAt, ports });
    expect(seen).toMatchObject({ state: 'ready', idleStopAt: stopsAt.toISOString(), ports });
    expect(seen.reason).toBeUndefined();
  });
});

describe('asking a workspace instance about itself', () => {
  it('reads a running workspace once and says when', async () => {
    const asked: string[] = [];
    const status = await probeWorkspace(workspaceView(), answering({ provisioning: { done: true } }, asked), () => AT);
    expect(asked).toEqual(['us-east-1/demo']);
    expect(status).toMatchObject({ state: 'ready', instance: { outcome: 'read', at: AT.toISOString(), provisioning: { done: true } } });
  });

  it('does not ask a workspace that is not running, or one an operation is busy with, and says why', async () => {
    const asked: string[] = [];
    const stopped = await probeWorkspace(workspaceView({ state: 'stopped' }), answering({ provisioning: { done: true } }, asked));
    expect(stopped.instance).toEqual({ outcome: 'not-asked', why: 'not-running', message: 'Its instance was not asked: the workspace is stopped, not running.' });
    const baking = await probeWorkspace(workspaceView({ operation: { kind: 'bake', step: 'snapshot', index: 1, total: 2 } }), answering({ provisioning: { done: true } }, asked));
    expect(baking.instance).toMatchObject({ outcome: 'not-asked', message: 'Its instance was not asked while its bake is under way.' });
    expect(asked).toEqual([]);
  });

  it('keeps what the cloud says and tells why the read failed', async () => {
    const failing: InstanceStatusSource = {
      read: async () => {
        throw new PortholeError('timeout', 'Reading the status of demo over SSH took longer than 10 s.', { fix: 'Check your network connection.' });
      },
    };
    const status = await probeWorkspace(workspaceView(), failing);
    expect(status.state).toBe('ready');
    expect(status.instance).toEqual({ outcome: 'failed', kind: 'timeout', message: 'Reading the status of demo over SSH took longer than 10 s. Check your network connection.' });
  });

  it('says a running workspace was not asked with --no-probe', () => {
    expect(unprobed(workspaceView()).instance).toMatchObject({ outcome: 'not-asked', why: 'no-probe' });
    expect(unprobed(workspaceView({ state: 'hibernated' })).instance).toMatchObject({ outcome: 'not-asked', why: 'not-running' });
  });
});
