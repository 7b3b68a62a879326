import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceStatusReader } from '../../src/core/access/instance-status-reader.js';
import { sandboxEndpointResolver } from '../../src/core/access/ssh-endpoint-resolver.js';
import { wireWorkspaceAccess, type AccessParts } from '../../src/core/access/workspace-access-wiring.js';
import { DashboardEvents } from '../../src/core/app/dashboard-events.js';
import { NotificationPolicy, type DesktopNotification } from '../../src/core/notify/notification-policy.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings-schema.js';
import { FirewallFollower } from '../../src/core/workspaces/firewall-follow.js';
import { fetchPublicIp } from '../../src/core/workspaces/public-ip.js';
import { SettingsWorkspaceRecords } from '../../src/core/workspaces/settings-workspace-records.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import type { Notice } from '../../src/shared/contract.js';
import { readyWorkspace, startAccessFixture, type AccessFixture } from '../support/access-fixture.js';

const NAME = 'roamer';

/**
 * Several connections meeting the same change of address at once (the
 * dashboard's status reads and a window's tunnel): one rewrite of the rule,
 * one event, one desktop notification, one line in the dashboard's log.
 */
describe('the firewall follows this computer for the app', () => {
  let a: AccessFixture;
  let parts: AccessParts;
  let follower: FirewallFollower;
  const events: WorkspaceEvent[] = [];
  const notifications: DesktopNotification[] = [];
  const notices: Notice[] = [];
  const dashboard = new DashboardEvents(() => 'sandbox');

  beforeAll(async () => {
    a = await startAccessFixture();
    await readyWorkspace(a, NAME);
    const { engine, gateway, emulator, settings } = a.f;
    follower = new FirewallFollower({
      account: engine.account,
      gateway,
      records: new SettingsWorkspaceRecords(settings),
      publicIp: () => fetchPublicIp(`${emulator.endpoint}/_emulator/ip`),
      emit: (event) => engine.events.emit(event),
    });
    parts = wireWorkspaceAccess({ engine, gateway, sandboxEndpoint: emulator.endpoint, settings, firewall: follower });
    const policy = new NotificationPolicy({ choices: () => DEFAULT_SETTINGS.notifications, isWatching: () => true, now: Date.now });
    engine.events.subscribe((event) => {
      events.push(event);
      notifications.push(...policy.onEvent(event));
      dashboard.forward(event);
    });
    dashboard.hub.subscribe((event, payload) => {
      if (event === 'notice') notices.push(payload as Notice);
    });
  }, 180_000);

  afterAll(async () => {
    await fetch(`${a.f.emulator.endpoint}/_emulator/ip`, { method: 'DELETE' }).catch(() => undefined);
    await parts?.access.closeAll();
    await a?.close();
  });

  it('rewrites the rule once for three status reads and a tunnel that fail together, and every one of them gets through', async () => {
    const reader = instanceStatusReader({ gateway: a.f.gateway, resolver: sandboxEndpointResolver(a.f.emulator.endpoint, 'ssh') });
    const ref = { name: NAME, region: 'us-east-1' };
    await fetch(`${a.f.emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify({ ip: '203.0.113.9' }) });
    const [tunnel, ...reads] = await Promise.all([
      parts.tunnels.acquire({ workspace: NAME, region: 'us-east-1' }),
      ...[1, 2, 3].map(() => follower.guard(ref, () => reader.read(ref))),
    ]);
    try {
      expect(reads.map((r) => r.provisioning.done)).toEqual([true, true, true]);
      expect((await fetch(`http://127.0.0.1:${tunnel!.localPort}/healthz`)).status).toBe(200);
    } finally {
      await tunnel!.release();
    }
    const followed = events.filter((e) => e.type === 'firewall-followed');
    expect(followed).toEqual([{ type: 'firewall-followed', name: NAME, region: 'us-east-1', account: 'sandbox', from: '127.0.0.1', to: '203.0.113.9' }]);
    expect(notifications.map((n) => n.title)).toEqual([`${NAME}: firewall now lets in your new address 203.0.113.9`]);
    expect(notices.map((n) => n.title)).toEqual([`${NAME}: firewall now lets in your new address 203.0.113.9`]);
    expect(dashboard.activity.since().map((entry) => entry.message)).toEqual([expect.stringMatching(new RegExp(`^${NAME}: firewall now lets in your new address 203\\.0\\.113\\.9\\. This computer's public IP changed from 127\\.0\\.0\\.1`))]);
    const states = await a.f.gateway.getPortStates('us-east-1', NAME);
    expect(states.filter((s) => s.fromPort === 22).flatMap((s) => s.cidrs)).toEqual(['203.0.113.9/32']);
  }, 90_000);

  it('on a record written before Porthole kept the address, adds the new /32 without guessing which old one was its own', async () => {
    const ref = { name: NAME, region: 'us-east-1' };
    const sshCidrs = async () => (await a.f.gateway.getPortStates('us-east-1', NAME)).filter((s) => s.fromPort === 22).flatMap((s) => s.cidrs).sort();
    const record = () => a.f.settings.get().workspaces.find((w) => w.name === NAME)!;
    const forget = () => {
      const { callerIp: _callerIp, ...older } = record();
      a.f.settings.saveWorkspace(older);
    };
    const failed = new Error('could not connect');
    const before = events.length;

    forget();
    expect(await follower.follow(ref, failed)).toBeUndefined();
    expect(record().callerIp).toBe('203.0.113.9');
    expect(await sshCidrs()).toEqual(['203.0.113.9/32']);

    forget();
    await fetch(`${a.f.emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify({ ip: '192.0.2.7' }) });
    expect(await follower.follow(ref, failed)).toEqual({ type: 'firewall-followed', name: NAME, region: 'us-east-1', account: 'sandbox', to: '192.0.2.7' });
    expect(await sshCidrs()).toEqual(['192.0.2.7/32', '203.0.113.9/32']);
    expect(record().callerIp).toBe('192.0.2.7');
    expect(events.slice(before).filter((e) => e.type === 'firewall-followed')).toHaveLength(1);
    expect(notifications.at(-1)!.body).toMatch(/^This computer's public IP changed, so Porthole moved/);
  }, 60_000);

  it('gets a connection through that failed on the old rule when another one finished the rewrite before it asked', async () => {
    const reader = instanceStatusReader({ gateway: a.f.gateway, resolver: sandboxEndpointResolver(a.f.emulator.endpoint, 'ssh') });
    const ref = { name: NAME, region: 'us-east-1' };
    const before = events.length;
    await fetch(`${a.f.emulator.endpoint}/_emulator/ip`, { method: 'POST', body: JSON.stringify({ ip: '198.51.100.4' }) });
    let attempts = 0;
    // The first attempt meets the old rule; another connection's rewrite starts and ends before this one's failure reaches the guard.
    const lateToFail = async () => {
      attempts += 1;
      if (attempts > 1) return reader.read(ref);
      const failure = await reader.read(ref).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ kind: 'network' });
      expect(await follower.follow(ref, failure)).toMatchObject({ type: 'firewall-followed', from: '192.0.2.7', to: '198.51.100.4' });
      throw failure;
    };
    const status = await follower.guard(ref, lateToFail);
    expect(status.provisioning.done).toBe(true);
    expect(attempts).toBe(2);
    expect(events.slice(before).filter((e) => e.type === 'firewall-followed')).toHaveLength(1);
  }, 60_000);
});
