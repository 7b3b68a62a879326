import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/code-server-bin.js';
import { workspaceView } from '../../../test/support/workspace-view.js';
import type { Workspace } from '../../shared/workspace.js';
import { TunnelManager } from '../access/tunnel-manager.js';
import { WorkspaceEventStream } from '../workspaces/workspace-events.js';
import { LiveForwardsFile, PortPreferencesStore } from './port-preferences-store.js';
import { WorkspacePorts } from './workspace-ports.js';

const REF = { account: 'sandbox', region: 'us-east-1', name: 'demo' };

/** Stopping a forward lasts one session of the process holding the forwards: until the workspace stops or that process ends. */
describe('ports the user stopped', () => {
  let dataDir: string;
  const holders: WorkspacePorts[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'porthole-ports-spec-'));
  });
  afterEach(async () => {
    for (const holder of holders.splice(0)) await holder.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function holder(workspaces: Workspace[] = [workspaceView()]) {
    const events = new WorkspaceEventStream();
    // Nothing listens on these workspaces, so no tunnel is ever asked for.
    const tunnels = new TunnelManager(() => Promise.reject(new Error('no tunnel in this spec')));
    const ports = new WorkspacePorts({ dataDir, account: 'sandbox', engine: { list: () => workspaces, events }, tunnels, requestCheckMs: 60_000 });
    holders.push(ports);
    return { ports, events };
  }

  const stop = (store: PortPreferencesStore, port: number) => store.update(REF, (p) => ({ ...p, stopped: [...p.stopped, port] }));

  it('stay stopped for the session they were stopped in, and not for the next one (an app restart)', async () => {
    const first = holder();
    await stop(first.ports.store, 3000);
    expect((await first.ports.store.get(REF)).stopped).toEqual([3000]);
    const second = holder();
    expect((await second.ports.store.get(REF)).stopped).toEqual([]);
    // The next session's own choice drops the ended session's stops from the file.
    await stop(second.ports.store, 5173);
    expect(JSON.parse(await readFile(join(dataDir, 'ports.json'), 'utf8'))).toEqual({ workspaces: { 'sandbox/us-east-1/demo': { stopped: [{ port: 5173, session: second.ports.session }] } } });
  });

  it('count again once the workspace stops, or is deleted', async () => {
    const { ports, events } = holder();
    await stop(ports.store, 3000);
    events.emit({ type: 'workspace-changed', workspace: workspaceView({ state: 'ready', idleStopAt: '2026-12-04T10:00:00Z' }), cause: 'cloud' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await ports.store.get(REF)).stopped).toEqual([3000]);
    events.emit({ type: 'workspace-changed', workspace: workspaceView({ state: 'stopping' }), previous: workspaceView(), cause: 'user' });
    await until('the stops forgotten', async () => ((await ports.store.get(REF)).stopped.length === 0 ? true : undefined), 5_000);
    await stop(ports.store, 8080);
    events.emit({ type: 'workspace-removed', workspace: workspaceView({ state: 'deleting' }) });
    await until('the stops forgotten', async () => ((await ports.store.get(REF)).stopped.length === 0 ? true : undefined), 5_000);
  });

  it("are the holder's, as the CLI sees them through its live file; without a holder no stop is made, and other choices keep the holder's", async () => {
    const { ports } = holder();
    const live = await until('the live file', () => new LiveForwardsFile(dataDir, 'sandbox').read(), 5_000);
    expect(live.session).toBe(ports.session);
    await stop(new PortPreferencesStore(dataDir, live.session), 3000);
    expect((await ports.store.get(REF)).stopped).toEqual([3000]);
    await new PortPreferencesStore(dataDir).update(REF, (p) => ({ ...p, autoForward: null, stopped: [...p.stopped, 4000] }));
    expect(await ports.store.get(REF)).toEqual({ autoForward: null, manual: [], stopped: [3000] });
  });

  it('reads a file from before stops had sessions as having none', async () => {
    await writeFile(join(dataDir, 'ports.json'), JSON.stringify({ workspaces: { 'sandbox/us-east-1/demo': { stopped: [3000], manual: [{ port: 9229 }] } } }));
    const { ports } = holder();
    expect(await ports.store.get(REF)).toMatchObject({ manual: [{ port: 9229 }], stopped: [] });
  });
});
