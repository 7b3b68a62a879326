import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceView } from '../../../test/support/workspace-view.js';
import { WorkspaceEventStream } from '../workspaces/workspace-events.js';
import { readEventHistory, recordEventHistory } from './event-history.js';

describe('the event history', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('keeps each event as one line and answers those about one workspace, skipping a line cut short', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-history-'));
    dirs.push(dir);
    const path = join(dir, 'events.ndjson');
    const events = new WorkspaceEventStream();
    const stop = recordEventHistory(events, path, () => new Date('2026-12-04T05:00:00Z'));
    const demo = workspaceView({ name: 'demo', state: 'error', reason: 'Provisioning failed at step 2 of 4' });
    events.emit({ type: 'workspace-changed', workspace: demo, previous: workspaceView({ name: 'demo', state: 'provisioning' }), cause: 'cloud' });
    events.emit({ type: 'workspace-changed', workspace: workspaceView({ name: 'other' }), cause: 'user' });
    events.emit({ type: 'refreshed', account: demo.account, count: 2 });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(path, `${await readFile(path, 'utf8')}{"at":"cut`, { mode: 0o600 });
    const entries = await readEventHistory(path, { workspace: 'demo', region: demo.region, account: demo.account });
    expect(entries).toEqual([
      { at: '2026-12-04T05:00:00.000Z', type: 'workspace-changed', account: demo.account, workspace: 'demo', region: demo.region, detail: 'provisioning -> error: Provisioning failed at step 2 of 4 [cloud]' },
    ]);
  });
});
