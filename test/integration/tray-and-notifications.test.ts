import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationPolicy, type DesktopNotification } from '../../src/core/notify/notification-policy.js';
import { buildTrayMenu, type TrayAccount, type TrayMenuItem, type WorkspaceAction } from '../../src/core/tray/tray-menu.js';
import type { WorkspaceEvent } from '../../src/core/workspaces/workspace-events.js';
import { startEngineFixture, TEST_REGION, type EngineFixture } from '../support/engine-fixture.js';

/**
 * The tray model and the notification policy over the real engine
 * (lightsail-local through the AWS SDK, the session keychain): what the tray
 * enables is exactly what the engine carries out, and the engine's own event
 * stream yields the notifications a user should get.
 */

const SANDBOX: TrayAccount = { name: 'sandbox', kind: 'sandbox', active: true, health: 'ok' };
const LIFECYCLE: WorkspaceAction[] = ['start', 'stop', 'hibernate', 'resume'];
const NAME = 'tray';

type Item = Extract<TrayMenuItem, { type: 'item' }>;

describe('tray menu and notifications over the workspace engine', () => {
  let f: EngineFixture;
  let watching = false;
  const heard: DesktopNotification[] = [];
  const events: WorkspaceEvent[] = [];

  beforeAll(async () => {
    f = await startEngineFixture();
    const policy = new NotificationPolicy({
      choices: () => ({ idleWarning: true, idleStop: true, operationFinished: true, operationFailed: true, costReminder: true, portReady: true, firewallFollowed: true, awsSignInExpired: true }),
      isWatching: () => watching,
      now: Date.now,
      // Each step below is a new change a user would want to hear about, not a repeat.
      quietMs: 0,
    });
    f.engine.events.subscribe((event) => {
      events.push(event);
      heard.push(...policy.onEvent(event));
    });
  });
  afterAll(() => f.close());

  /** The workspace's submenu items by action, as the tray would show them now. */
  function submenu(): Map<WorkspaceAction, Item> {
    const menu = buildTrayMenu({ workspaces: f.engine.list(), accounts: [SANDBOX] });
    const line = menu.items.find((i) => i.type === 'submenu' && i.id === `workspace:${TEST_REGION}/${NAME}:menu`);
    if (line?.type !== 'submenu') throw new Error(`the tray lists no ${NAME}`);
    const items = new Map<WorkspaceAction, Item>();
    for (const item of line.items) if (item.type === 'item' && item.action?.kind === 'workspace') items.set(item.action.action, item);
    return items;
  }

  const engineCall = (action: WorkspaceAction) => {
    switch (action) {
      case 'start':
        return f.engine.start(NAME);
      case 'stop':
        return f.engine.stop(NAME);
      case 'hibernate':
        return f.engine.hibernate(NAME);
      case 'resume':
        return f.engine.resume(NAME);
      default:
        throw new Error(`${action} is not a lifecycle action`);
    }
  };

  /** Clicks a tray item: it must be enabled, and the engine must carry it out. */
  async function click(action: WorkspaceAction): Promise<string> {
    expect(submenu().get(action)?.enabled, `${action} is enabled in the tray`).toBe(true);
    return (await engineCall(action)).state;
  }

  /** Every lifecycle action the tray shows disabled here is one the engine refuses. */
  async function disabledAreRefused(): Promise<void> {
    const items = submenu();
    for (const action of LIFECYCLE) {
      if (items.get(action)?.enabled) continue;
      await expect(engineCall(action), `${action} is refused in ${f.engine.get(NAME).state}`).rejects.toThrow(/cannot|already|Only a hibernated|first/);
    }
  }

  /** What the policy decided since the last look, once the engine's events (published a moment after a change) have settled. */
  async function notifiedSince(): Promise<DesktopNotification[]> {
    let seen: number;
    do {
      seen = events.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (events.length !== seen);
    return heard.splice(0);
  }

  const heardSince = async () => (await notifiedSince()).map((n) => n.title);

  it('enables in each settled state exactly what the engine carries out', async () => {
    watching = true;
    expect((await f.engine.create({ name: NAME, bundleId: 'small_3_0' })).state).toBe('ready');
    expect(submenu().get('open')?.enabled).toBe(true);
    await disabledAreRefused();

    expect(await click('stop')).toBe('stopped');
    expect(submenu().get('open')?.enabled).toBe(false);
    await disabledAreRefused();
    expect(await click('start')).toBe('ready');
    expect(await click('hibernate')).toBe('hibernated');
    await disabledAreRefused();
    expect(await click('resume')).toBe('ready');
    expect(await click('stop')).toBe('stopped');
    expect(await click('hibernate')).toBe('hibernated');
    expect(await click('resume')).toBe('ready');
    expect(submenu().get('copyPassword')?.enabled).toBe(true);
    // Everything above was done by a user watching: the policy kept quiet throughout.
    expect(await heardSince()).toEqual([]);
  });

  it('tells a user who is not watching what finished, and a stop made outside Porthole', async () => {
    watching = false;
    await click('stop');
    const [stopped, ...more] = await notifiedSince();
    expect(more).toEqual([]);
    expect(stopped).toMatchObject({ title: `${NAME} stopped`, body: expect.stringMatching(/still bills a stopped instance/) });
    await click('start');
    expect(await heardSince()).toEqual([`${NAME} is ready`]);

    // Stopped from the Lightsail console: the engine finds it on its next look.
    watching = true;
    await f.gateway.stopInstance(TEST_REGION, NAME);
    await f.gateway.waitForInstanceState(TEST_REGION, NAME, 'stopped', { timeoutMs: 20_000 });
    await f.engine.refresh();
    expect(f.engine.get(NAME).state).toBe('stopped');
    const changed = events.filter((e) => e.type === 'workspace-changed' && e.workspace.state === 'stopped').at(-1);
    expect(changed).toMatchObject({ cause: 'cloud' });
    const [outside, ...others] = await notifiedSince();
    expect(others).toEqual([]);
    expect(outside).toMatchObject({ title: `${NAME} stopped`, body: expect.stringMatching(/outside Porthole/) });
  });

  it('says what hibernating saves, then reminds of the kept static IP, and opens the dashboard on a click', async () => {
    watching = false;
    await click('hibernate');
    const [hibernated, ...more] = await notifiedSince();
    expect(more).toEqual([]);
    expect(hibernated?.title).toBe(`${NAME} is hibernated`);
    expect(hibernated?.body).toMatch(/^It now costs \$\d+\.\d\d\/month instead of \$\d+\.\d\d\./);

    const policy = new NotificationPolicy({
      choices: () => ({ idleWarning: true, idleStop: true, operationFinished: true, operationFailed: true, costReminder: true, portReady: true, firewallFollowed: true, awsSignInExpired: true }),
      isWatching: () => false,
      now: Date.now,
    });
    const [reminder] = policy.review(f.engine.list());
    expect(reminder).toMatchObject({ title: `${NAME}'s static IP costs money while it sleeps`, target: { open: 'dashboard' } });
    expect(reminder!.body).toContain(f.engine.get(NAME).publicIp!);
    expect(policy.review(f.engine.list())).toEqual([]);
    // Nothing the user hears carries the workspace's password.
    const password = await f.engine.password(NAME);
    expect(JSON.stringify([hibernated, reminder])).not.toContain(password);
  });
});
