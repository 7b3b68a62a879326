import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NotificationChoices } from '../../shared/contract.js';
import { CHANGING_STATES, type Workspace, type WorkspaceState } from '../../shared/workspace.js';
import type { WorkspaceEvent } from '../workspaces/workspace-events.js';
import { NotificationPolicy, type WorkspaceTarget } from './notification-policy.js';
import { workspaceView } from '../../../test/support/workspace-view.js';

const ALL_ON: NotificationChoices = { idleWarning: true, idleStop: true, operationFinished: true, operationFailed: true, costReminder: true, portReady: true, firewallFollowed: true, awsSignInExpired: true };
const T0 = Date.parse('2026-11-29T14:00:00Z');
const STATES: WorkspaceState[] = ['creating', 'provisioning', 'ready', 'starting', 'stopping', 'stopped', 'hibernating', 'hibernated', 'resuming', 'restoring', 'deleting', 'error'];

function workspace(state: WorkspaceState, extra: Partial<Workspace> = {}): Workspace {
  return workspaceView({ name: 'api', state, ...extra });
}

const change = (from: WorkspaceState, to: WorkspaceState, cause: 'user' | 'cloud', extra: Partial<Workspace> = {}): WorkspaceEvent => ({
  type: 'workspace-changed',
  previous: workspace(from),
  workspace: workspace(to, extra),
  cause,
});

describe('notification policy', () => {
  let now: number;
  let choices: NotificationChoices;
  let watching: WorkspaceTarget | undefined;
  let policy: NotificationPolicy;

  beforeEach(() => {
    now = T0;
    choices = { ...ALL_ON };
    watching = undefined;
    policy = new NotificationPolicy({
      choices: () => choices,
      isWatching: (ref) => watching?.name === ref.name && watching.region === ref.region,
      now: () => now,
    });
  });

  const titles = (event: WorkspaceEvent) => policy.onEvent(event).map((n) => n.title);

  it('says a workspace is ready after creating, provisioning, starting, resuming or restoring, and opens it on click', () => {
    for (const from of ['creating', 'provisioning', 'starting', 'resuming', 'restoring'] as const) {
      now += 60 * 60_000;
      const [ready] = policy.onEvent(change(from, 'ready', 'user'));
      expect(ready).toMatchObject({ title: 'api is ready', target: { open: 'workspace', ref: { name: 'api', region: 'us-east-1' } } });
    }
  });

  it('stays quiet about what the user did while watching that workspace, but not about failures', () => {
    watching = { name: 'api', region: 'us-east-1' };
    expect(titles(change('starting', 'ready', 'user'))).toEqual([]);
    expect(titles(change('stopping', 'stopped', 'user'))).toEqual([]);
    expect(titles(change('hibernating', 'hibernated', 'user'))).toEqual([]);
    expect(titles(change('starting', 'error', 'user', { reason: 'Lightsail refused the start: quota' }))).toEqual(['api failed']);
    // Watching another workspace does not count for this one.
    watching = { name: 'web', region: 'us-east-1' };
    expect(titles(change('starting', 'ready', 'user'))).toEqual(['api is ready']);
  });

  it("counts an operation's last change as the user's, though the engine reports it from the refresh that follows", () => {
    watching = { name: 'api', region: 'us-east-1' };
    expect(titles(change('ready', 'stopping', 'user'))).toEqual([]);
    expect(titles(change('stopping', 'stopped', 'cloud'))).toEqual([]);
    watching = undefined;
    expect(titles(change('stopped', 'starting', 'user'))).toEqual([]);
    const [ready] = policy.onEvent(change('starting', 'ready', 'cloud'));
    expect(ready).toMatchObject({ title: 'api is ready' });
    now += 60 * 60_000;
    const [stopped] = [...policy.onEvent(change('ready', 'stopping', 'user')), ...policy.onEvent(change('stopping', 'stopped', 'cloud'))];
    expect(stopped).toMatchObject({ title: 'api stopped', body: expect.stringMatching(/still bills/) });
    // Settled: the next stop from outside is the cloud's again.
    now += 60 * 60_000;
    policy.onEvent(change('stopped', 'ready', 'cloud'));
    expect(policy.onEvent(change('ready', 'stopped', 'cloud'))[0]).toMatchObject({ body: expect.stringMatching(/outside Porthole/) });
  });

  it('opens the provisioning log at the failed step when the launch script failed', () => {
    const failedStep = { index: 3, total: 7, step: 'base: packages' };
    const [failed] = policy.onEvent(change('provisioning', 'error', 'cloud', { reason: 'Provisioning failed at step 3 of 7 (base: packages).', failedStep }));
    const log = { open: 'logs', target: { name: 'api', region: 'us-east-1', account: 'sandbox', source: 'provision', step: 3 } };
    expect(failed).toMatchObject({ title: 'api failed', urgency: 'critical', target: log, action: { label: 'Show log', target: log } });
  });

  it('says why a workspace failed, urgently, whoever caused it', () => {
    const [failed] = policy.onEvent(change('provisioning', 'error', 'cloud', { reason: 'The launch script failed at step 3 (base: packages).' }));
    expect(failed).toMatchObject({ title: 'api failed', body: 'The launch script failed at step 3 (base: packages).', urgency: 'critical', target: { open: 'dashboard' } });
  });

  it('warns ahead of an idle stop with the minutes left, then says it stopped because it was idle', () => {
    const stopsAt = new Date(T0 + 5 * 60_000).toISOString();
    const [warning] = policy.onEvent({ type: 'idle-warning', name: 'api', region: 'us-east-1', stopsAt });
    expect(warning).toMatchObject({ title: 'api stops in 5 minutes', target: { open: 'workspace', ref: { name: 'api', region: 'us-east-1' } } });
    now += 5 * 60_000;
    expect(titles(change('ready', 'stopped', 'cloud'))).toEqual(['api stopped after being idle']);
  });

  it('counts the minutes to an idle stop from now, and says "about to stop" when under one is left', () => {
    const warn = (stopsAt: number, name = 'api') => titles({ type: 'idle-warning', name, region: 'us-east-1', stopsAt: new Date(stopsAt).toISOString() });
    expect(warn(T0 + 60_000)).toEqual(['api stops in 1 minute']);
    expect(warn(T0 + 20_000, 'web')).toEqual(['web is about to stop']);
    expect(warn(T0 - 5_000, 'db')).toEqual(['db is about to stop']);
  });

  it('does not blame idleness for a later stop once the user came back and the warning was withdrawn', () => {
    const stopsAt = new Date(T0 + 5 * 60_000).toISOString();
    policy.onEvent(change('ready', 'ready', 'cloud', { idleStopAt: stopsAt }));
    expect(titles({ type: 'idle-warning', name: 'api', region: 'us-east-1', stopsAt })).toEqual(['api stops in 5 minutes']);
    policy.onEvent({ type: 'workspace-changed', previous: workspace('ready', { idleStopAt: stopsAt }), workspace: workspace('ready'), cause: 'cloud' });
    now += 60 * 60_000;
    const [stopped] = policy.onEvent(change('ready', 'stopped', 'cloud'));
    expect(stopped).toMatchObject({ title: 'api stopped', body: expect.stringMatching(/outside Porthole/) });
  });

  it('tells a stop from outside Porthole from an idle stop', () => {
    const [stopped] = policy.onEvent(change('ready', 'stopped', 'cloud'));
    expect(stopped).toMatchObject({ title: 'api stopped', body: expect.stringMatching(/outside Porthole/) });
  });

  it('says what hibernating saves', () => {
    const [hibernated] = policy.onEvent(change('hibernating', 'hibernated', 'user'));
    expect(hibernated).toMatchObject({ title: 'api is hibernated', body: 'It now costs $5.60/month instead of $12.00. Resume it from the tray.' });
  });

  it('says once that an account needs a sign-in, with a Sign in action, and again only after it worked in between', () => {
    const expired: WorkspaceEvent = { type: 'account', account: 'work', health: 'expired', message: 'The IAM Identity Center sign-in for "work" expired.' };
    const [first] = policy.onEvent(expired);
    expect(first).toMatchObject({ title: 'Sign-in needed for work', urgency: 'critical', target: { signIn: 'work' }, action: { label: 'Sign in', target: { signIn: 'work' } } });
    now += 2 * 60 * 60_000;
    expect(policy.onEvent(expired)).toEqual([]);
    expect(policy.onEvent({ type: 'account', account: 'work', health: 'ok' })).toEqual([]);
    expect(titles(expired)).toEqual(['Sign-in needed for work']);
  });

  it("offers to sign a workspace's AWS CLI in again once its token expired, once until it is signed in again", () => {
    const aws = (signIn: 'signed-in' | 'expired') => ({ aws: { profiles: ['work'], signIn } });
    const expired: WorkspaceEvent = { type: 'workspace-changed', previous: workspace('ready', aws('signed-in')), workspace: workspace('ready', aws('expired')), cause: 'cloud' };
    const [first] = policy.onEvent(expired);
    const target = { awsSignIn: { name: 'api', region: 'us-east-1', account: 'sandbox' } };
    expect(first).toMatchObject({ key: 'aws-expired:us-east-1/api', title: 'api: AWS sign-in expired', target, action: { label: 'Sign in to AWS on this workspace', target } });
    // Every status read of the still-expired workspace publishes a change; the notification is not repeated, even after the quiet window.
    now += 2 * 60 * 60_000;
    expect(policy.onEvent(expired)).toEqual([]);
    expect(policy.onEvent({ type: 'workspace-changed', previous: workspace('ready', aws('expired')), workspace: workspace('ready', aws('signed-in')), cause: 'cloud' })).toEqual([]);
    expect(titles(expired)).toEqual(['api: AWS sign-in expired']);
    choices = { ...choices, awsSignInExpired: false };
    const signedIn = policy.onEvent({ type: 'workspace-changed', previous: workspace('ready', aws('expired')), workspace: workspace('ready', aws('signed-in')), cause: 'cloud' });
    expect([...signedIn, ...policy.onEvent(expired)]).toEqual([]);
  });

  it('does not repeat the same notification within the quiet window', () => {
    expect(titles(change('starting', 'ready', 'cloud'))).toEqual(['api is ready']);
    now += 60_000;
    expect(titles(change('starting', 'ready', 'cloud'))).toEqual([]);
    now += 10 * 60_000;
    expect(titles(change('starting', 'ready', 'cloud'))).toEqual(['api is ready']);
  });

  it("says once per port per session that a workspace's app is ready, with Open on its local address, and keeps quiet when turned off", () => {
    const policy = new NotificationPolicy({ choices: () => choices, isWatching: () => false, now: () => T0 });
    const ready = { workspace: 'demo', region: 'us-east-1', port: 3000, localAddress: 'http://127.0.0.1:3000' };
    expect(policy.portReady(ready)).toEqual([
      {
        key: 'port:us-east-1/demo:3000',
        title: 'demo: your app on port 3000 is ready',
        body: 'It is forwarded to http://127.0.0.1:3000.',
        urgency: 'low',
        target: { openUrl: 'http://127.0.0.1:3000/' },
        action: { label: 'Open', target: { openUrl: 'http://127.0.0.1:3000/' } },
      },
    ]);
    expect(policy.portReady(ready)).toEqual([]);
    expect(policy.portReady({ ...ready, port: 5173, localAddress: 'http://127.0.0.1:41000' }).map((n) => n.title)).toEqual(['demo: your app on port 5173 is ready']);
    choices = { ...choices, portReady: false };
    expect(policy.portReady({ ...ready, port: 8888 })).toEqual([]);
  });

  it("says once that a workspace's firewall moved to this computer's new address, and again only for another address", () => {
    const moved = { type: 'firewall-followed', name: 'demo', region: 'us-east-1', account: 'sandbox', from: '127.0.0.1', to: '203.0.113.9' } as const;
    const [first] = policy.onEvent(moved);
    expect(first).toMatchObject({ title: 'demo: firewall now lets in your new address 203.0.113.9', urgency: 'low', target: { open: 'dashboard' } });
    expect(first!.body).toContain('changed from 127.0.0.1');
    expect(first!.body).toContain('Addresses you added stay allowed.');
    expect(titles(moved)).toEqual([]);
    expect(titles({ ...moved, from: '203.0.113.9', to: '198.51.100.4' })).toEqual(['demo: firewall now lets in your new address 198.51.100.4']);
    choices = { ...choices, firewallFollowed: false };
    expect(titles({ ...moved, to: '192.0.2.1' })).toEqual([]);
  });

  it('follows the settings: each kind can be turned off', () => {
    choices = { idleWarning: false, idleStop: false, operationFinished: false, operationFailed: false, costReminder: false, portReady: false, firewallFollowed: false, awsSignInExpired: false };
    expect(titles({ type: 'idle-warning', name: 'api', region: 'us-east-1', stopsAt: new Date(T0 + 60_000).toISOString() })).toEqual([]);
    expect(titles(change('ready', 'stopped', 'cloud'))).toEqual([]);
    expect(titles(change('starting', 'ready', 'cloud'))).toEqual([]);
    expect(titles(change('starting', 'error', 'cloud'))).toEqual([]);
    expect(titles({ type: 'firewall-followed', name: 'api', region: 'us-east-1', account: 'sandbox', to: '203.0.113.9' })).toEqual([]);
    expect(policy.review([workspace('hibernated', { staticIpName: 'porthole-api-ip' })])).toEqual([]);
  });

  it('reminds once a day that a hibernated workspace keeps a static IP that costs money', () => {
    const asleep = workspace('hibernated', { staticIpName: 'porthole-api-ip', publicIp: '127.0.0.9' });
    const [reminder] = policy.review([asleep, workspace('hibernated', { name: 'web' })]);
    expect(reminder).toMatchObject({ title: "api's static IP costs money while it sleeps", urgency: 'low' });
    expect(reminder!.body).toContain('$3.65/month');
    expect(reminder!.body).toContain('porthole hibernate api --release-ip');
    now += 23 * 60 * 60_000;
    expect(policy.review([asleep])).toEqual([]);
    now += 60 * 60_000;
    expect(policy.review([asleep])).toHaveLength(1);
  });

  it('is silent for every other transition, and for events that are not changes', () => {
    const speaking = new Set(['ready', 'stopped', 'hibernated', 'error']);
    for (const from of STATES) {
      for (const to of STATES) {
        if (from === to || speaking.has(to)) continue;
        expect(titles(change(from, to, 'cloud')), `${from} -> ${to}`).toEqual([]);
      }
    }
    expect(titles(change('stopped', 'ready', 'cloud'))).toEqual([]);
    expect(titles({ type: 'workspace-changed', workspace: workspace('ready'), cause: 'cloud' })).toEqual([]);
    expect(titles({ type: 'refreshed', account: 'sandbox', count: 3 })).toEqual([]);
    expect(titles({ type: 'refresh-failed', account: 'sandbox', message: 'offline', kind: 'network' })).toEqual([]);
  });
});

describe('notification policy over random event streams', () => {
  const arbitraryEvent = fc.oneof(
    fc.record({
      from: fc.constantFrom(...STATES),
      to: fc.constantFrom(...STATES),
      cause: fc.constantFrom('user' as const, 'cloud' as const),
      name: fc.constantFrom('api', 'web'),
      reason: fc.constantFrom('quota', 'launch script failed'),
    }).map(({ from, to, cause, name, reason }): WorkspaceEvent => ({
      type: 'workspace-changed',
      previous: workspace(from, { name }),
      workspace: workspace(to, { name, ...(to === 'error' ? { reason } : {}) }),
      cause,
    })),
    fc.record({ name: fc.constantFrom('api', 'web'), minutes: fc.integer({ min: 0, max: 30 }) }).map(
      ({ name, minutes }): WorkspaceEvent => ({ type: 'idle-warning', name, region: 'us-east-1', stopsAt: new Date(T0 + minutes * 60_000).toISOString() }),
    ),
    fc.record({ account: fc.constantFrom('work', 'home'), health: fc.constantFrom('ok' as const, 'expired' as const) }).map(
      ({ account, health }): WorkspaceEvent => ({ type: 'account', account, health }),
    ),
  );
  const step = fc.record({ event: arbitraryEvent, gapMs: fc.integer({ min: 0, max: 20 * 60_000 }), watching: fc.boolean() });

  it('never repeats a notification within the quiet window, always reports a failure not just reported, and keeps quiet for what a watching user did', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let now = T0;
        let watching = false;
        const quietMs = 10 * 60_000;
        const policy = new NotificationPolicy({ choices: () => ALL_ON, isWatching: () => watching, now: () => now, quietMs });
        const lastShown = new Map<string, number>();
        for (const s of steps) {
          now += s.gapMs;
          watching = s.watching;
          const shown = policy.onEvent(s.event);
          for (const n of shown) {
            const last = lastShown.get(n.key);
            expect(last === undefined || now - last >= quietMs, `${n.key} repeated after ${now - (last ?? 0)} ms`).toBe(true);
            lastShown.set(n.key, now);
            expect(n.title.length).toBeGreaterThan(0);
            expect(n.body.length).toBeGreaterThan(0);
          }
          const e = s.event;
          if (e.type === 'workspace-changed' && e.previous && e.previous.state !== e.workspace.state) {
            const failed = shown.filter((n) => n.title.endsWith('failed'));
            if (e.workspace.state === 'error') {
              const key = `failed:us-east-1/${e.workspace.name}:${e.workspace.reason ?? ''}`;
              const recent = failed.length === 0 && lastShown.has(key) && now - lastShown.get(key)! < quietMs;
              expect(failed.length === 1 || recent).toBe(true);
            } else if (e.cause === 'user' && watching && CHANGING_STATES.has(e.previous.state)) {
              // The user's own operation settling in front of them: nothing to say unless it failed.
              expect(shown).toEqual([]);
            }
          }
        }
      }),
    );
  });
});

describe('notification policy with several accounts', () => {
  const policyFor = (enabled: number) => new NotificationPolicy({ choices: () => ALL_ON, isWatching: () => false, now: () => T0, enabledAccounts: () => enabled });

  it("names the workspace's account when more than one is enabled, and a click opens it in that account", () => {
    const [stopped] = policyFor(2).onEvent(change('ready', 'stopped', 'cloud', { account: 'team' }));
    expect(stopped?.title).toBe('api stopped — team');
    const [warning] = policyFor(2).onEvent({ type: 'idle-warning', name: 'api', region: 'us-east-1', account: 'team', stopsAt: new Date(T0 + 5 * 60_000).toISOString() });
    expect(warning).toMatchObject({ title: 'api stops in 5 minutes — team', target: { open: 'workspace', ref: { name: 'api', account: 'team' } } });
  });

  it('keeps titles short with one account, and tells two accounts\' same-named workspaces apart', () => {
    expect(policyFor(1).onEvent(change('ready', 'stopped', 'cloud')).map((n) => n.title)).toEqual(['api stopped']);
    const policy = policyFor(2);
    const both = [...policy.onEvent(change('ready', 'stopped', 'cloud', { account: 'sandbox' })), ...policy.onEvent(change('ready', 'stopped', 'cloud', { account: 'team' }))];
    expect(both.map((n) => n.title)).toEqual(['api stopped — sandbox', 'api stopped — team']);
  });
});
