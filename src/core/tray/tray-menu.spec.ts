import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workspace, WorkspaceState } from '../../shared/workspace.js';
import { allowedActions, buildTrayMenu, portsKey, trayState, workspaceLine, type TrayAccount, type TrayMenuItem, type WorkspaceAction } from './tray-menu.js';
import { workspaceView } from '../../../test/support/workspace-view.js';

const STATES: WorkspaceState[] = ['creating', 'provisioning', 'ready', 'starting', 'stopping', 'stopped', 'hibernating', 'hibernated', 'resuming', 'restoring', 'deleting', 'error'];

function workspace(name: string, state: WorkspaceState, extra: Partial<Workspace> = {}): Workspace {
  return workspaceView({ name, state, ...extra });
}

const SANDBOX: TrayAccount = { name: 'sandbox', kind: 'sandbox', active: true, health: 'ok' };

/** The items of a workspace's submenu, by action. */
function submenuOf(items: TrayMenuItem[], name: string): Map<WorkspaceAction, Extract<TrayMenuItem, { type: 'item' }>> {
  const menu = items.find((i) => i.type === 'submenu' && i.id.endsWith(`/${name}:menu`));
  if (!menu || menu.type !== 'submenu') throw new Error(`no submenu for ${name}`);
  const byAction = new Map<WorkspaceAction, Extract<TrayMenuItem, { type: 'item' }>>();
  for (const item of menu.items) if (item.type === 'item' && item.action?.kind === 'workspace') byAction.set(item.action.action, item);
  return byAction;
}

const enabledIn = (items: TrayMenuItem[], name: string) =>
  [...submenuOf(items, name)]
    .filter(([, item]) => item.enabled)
    .map(([action]) => action)
    .sort();

describe('tray picture', () => {
  it('is idle with nothing running, or only stopped and hibernated workspaces', () => {
    expect(trayState([])).toBe('idle');
    expect(trayState([workspace('a', 'stopped'), workspace('b', 'hibernated')])).toBe('idle');
  });

  it('is running while a workspace is ready or setting up', () => {
    expect(trayState([workspace('a', 'ready'), workspace('b', 'stopped')])).toBe('running');
    expect(trayState([workspace('a', 'provisioning')])).toBe('running');
  });

  it.each(['creating', 'starting', 'stopping', 'hibernating', 'resuming', 'restoring', 'deleting'] as const)('is changing while one is %s, even beside a running one', (state) => {
    expect(trayState([workspace('a', 'ready'), workspace('b', state)])).toBe('changing');
  });

  it('is failed when any workspace failed, whatever the others do', () => {
    expect(trayState([workspace('a', 'starting'), workspace('b', 'ready'), workspace('c', 'error')])).toBe('failed');
  });
});

describe('a workspace line and its submenu', () => {
  const expected: Record<WorkspaceState, WorkspaceAction[]> = {
    creating: ['copyPassword', 'delete'],
    provisioning: ['copyPassword', 'delete', 'openInVsCode', 'stop'],
    ready: ['copyPassword', 'delete', 'hibernate', 'open', 'openInBrowser', 'openInVsCode', 'stop'],
    starting: ['copyPassword', 'delete'],
    stopping: ['copyPassword', 'delete'],
    stopped: ['copyPassword', 'delete', 'hibernate', 'start'],
    hibernating: ['copyPassword', 'delete'],
    hibernated: ['copyPassword', 'delete', 'resume'],
    resuming: ['copyPassword', 'delete'],
    restoring: ['copyPassword', 'delete'],
    deleting: ['copyPassword'],
    error: ['copyPassword', 'delete', 'stop'],
  };

  it.each(STATES)('offers what a %s workspace allows, and only that', (state) => {
    const menu = buildTrayMenu({ workspaces: [workspace('api', state)], accounts: [SANDBOX] });
    expect(enabledIn(menu.items, 'api')).toEqual(expected[state]);
  });

  it('shows Start for a stopped workspace and Stop for a running one, Resume only for a hibernated one', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('up', 'ready'), workspace('down', 'stopped'), workspace('asleep', 'hibernated')], accounts: [SANDBOX] });
    expect([...submenuOf(menu.items, 'up').keys()]).toContain('stop');
    expect([...submenuOf(menu.items, 'up').keys()]).not.toContain('start');
    expect([...submenuOf(menu.items, 'down').keys()]).toContain('start');
    expect([...submenuOf(menu.items, 'asleep').keys()]).toContain('resume');
    expect([...submenuOf(menu.items, 'asleep').keys()]).not.toContain('hibernate');
  });

  it('disables Copy password when this computer has none, saying why in the label and how to get one in the tooltip', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('found', 'ready', { hasPassword: false }), workspace('mine', 'ready')], accounts: [SANDBOX] });
    const copy = submenuOf(menu.items, 'found').get('copyPassword')!;
    expect(copy).toMatchObject({ enabled: false, label: 'Copy password — none on this computer' });
    expect(copy.toolTip).toBe('This computer has no password for it: reset it with "porthole password found --reset".');
    expect(submenuOf(menu.items, 'mine').get('copyPassword')).toMatchObject({ enabled: true, label: 'Copy password' });
    expect(submenuOf(menu.items, 'mine').get('copyPassword')!.toolTip).toBeUndefined();
  });

  it('offers "Sign in to AWS on this workspace" on a workspace with AWS profiles while it runs, saying when its sign-in expired', () => {
    const aws = (signIn?: 'signed-in' | 'expired') => ({ aws: { profiles: ['work'], ...(signIn ? { signIn } : {}) } });
    const menu = buildTrayMenu({
      workspaces: [workspace('fresh', 'ready', aws('signed-in')), workspace('lapsed', 'ready', aws('expired')), workspace('asleep', 'stopped', aws()), workspace('plain', 'ready')],
      accounts: [SANDBOX],
    });
    expect(submenuOf(menu.items, 'fresh').get('signInToAws')).toMatchObject({ enabled: true, label: 'Sign in to AWS on this workspace', action: { kind: 'workspace', action: 'signInToAws', ref: { name: 'fresh', region: 'us-east-1', account: 'sandbox' } } });
    expect(submenuOf(menu.items, 'lapsed').get('signInToAws')).toMatchObject({ enabled: true, label: 'Sign in to AWS on this workspace — its sign-in expired' });
    expect(submenuOf(menu.items, 'asleep').get('signInToAws')).toMatchObject({ enabled: false });
    expect(submenuOf(menu.items, 'plain').has('signInToAws')).toBe(false);
  });

  it('shows the idle stop time of a running workspace its idle agent has warned about', () => {
    const stopsAt = new Date(2026, 10, 29, 14, 5).toISOString();
    expect(workspaceLine(workspace('api', 'ready', { idleStopAt: stopsAt }))).toBe('api — running, idle stop at 14:05 — $12/mo');
  });

  it('says state and monthly cost, the step while an operation runs, and why it failed', () => {
    expect(workspaceLine(workspace('api', 'ready'))).toBe('api — running — $12/mo');
    expect(workspaceLine(workspace('api', 'hibernated'))).toBe('api — hibernated — $5.60/mo');
    expect(workspaceLine(workspace('api', 'starting', { operation: { kind: 'start', step: 'wait until running', index: 2, total: 3 } }))).toBe('api — starting 2/3');
    expect(workspaceLine(workspace('api', 'provisioning', { provisioning: { step: 'developer: packages', index: 4, total: 12 } }))).toBe('api — setting up 4/12');
    expect(workspaceLine(workspace('api', 'error', { reason: 'The launch script failed at step 3 (base: packages): apt-get exited 100' }))).toBe(
      'api — failed: The launch script failed at step 3 (base: packages): apt-ge…',
    );
  });

  it('offers Show logs while the box answers SSH, opening a failed launch at its failed step', () => {
    const showLogs = (w: Workspace) => {
      const menu = buildTrayMenu({ workspaces: [w], accounts: [SANDBOX] }).items.find((i) => i.type === 'submenu');
      const item = menu?.type === 'submenu' ? menu.items.find((i) => i.type === 'item' && i.label === 'Show logs') : undefined;
      return item?.type === 'item' ? [item.enabled, item.action] : undefined;
    };
    const target = { name: 'api', region: 'us-east-1', account: 'sandbox' };
    expect(showLogs(workspace('api', 'ready'))).toEqual([true, { kind: 'showLogs', target }]);
    expect(showLogs(workspace('api', 'provisioning'))).toEqual([true, { kind: 'showLogs', target }]);
    expect(showLogs(workspace('api', 'stopped'))?.[0]).toBe(false);
    expect(showLogs(workspace('api', 'hibernated'))?.[0]).toBe(false);
    expect(showLogs(workspace('api', 'error', { failedStep: { index: 3, total: 7, step: 'base: packages' } }))).toEqual([
      true,
      { kind: 'showLogs', target: { ...target, source: 'provision', step: 3 } },
    ]);
  });

  it('keeps an & in a name from turning into a keyboard mnemonic', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('api', 'error', { reason: 'R&D quota' })], accounts: [SANDBOX] });
    const line = menu.items.find((i) => i.type === 'submenu')!;
    expect(line.type === 'submenu' && line.label).toBe('api — failed: R&&D quota');
  });
});

describe('the whole menu', () => {
  it('lists workspaces by name, then New workspace…, Dashboard, the account switcher, Help and Quit', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('web', 'ready'), workspace('api', 'stopped')], accounts: [SANDBOX] });
    const ids = menu.items.map((i) => (i.type === 'separator' ? '-' : i.id));
    expect(ids).toEqual(['workspace:us-east-1/api:menu', 'workspace:us-east-1/web:menu', '-', 'new-workspace', 'dashboard', 'accounts', 'help', '-', 'quit']);
    expect(menu.tooltip).toBe('Porthole — 1 running');
  });

  it('counts what runs and what changes in the tooltip, leaving out the stopped and hibernated', () => {
    const workspaces = [workspace('a', 'ready'), workspace('b', 'ready'), workspace('c', 'starting'), workspace('d', 'stopped'), workspace('e', 'hibernated')];
    expect(buildTrayMenu({ workspaces, accounts: [SANDBOX] }).tooltip).toBe('Porthole — 2 running, 1 starting');
    expect(buildTrayMenu({ workspaces: workspaces.slice(3), accounts: [SANDBOX] }).tooltip).toBe('Porthole — nothing running');
  });

  it('says when there are no workspaces yet', () => {
    const menu = buildTrayMenu({ workspaces: [], accounts: [SANDBOX] });
    expect(menu.items[0]).toMatchObject({ label: 'No workspaces yet', enabled: false });
    expect(menu.tooltip).toBe('Porthole — no workspaces');
    expect(menu.state).toBe('idle');
  });

  it('groups by region under a heading when the workspaces span several', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('b', 'ready', { region: 'eu-west-1' }), workspace('a', 'ready'), workspace('c', 'ready', { region: 'eu-west-1' })], accounts: [SANDBOX] });
    const labels = menu.items.slice(0, 5).map((i) => (i.type === 'separator' ? '-' : i.label));
    expect(labels).toEqual(['eu-west-1', 'b — running — $12/mo', 'c — running — $12/mo', 'us-east-1', 'a — running — $12/mo']);
  });

  it('lists the failed, changing and running first when there are too many, and points to the dashboard for the rest', () => {
    const many = Array.from({ length: 40 }, (_, i) => workspace(`w${String(i).padStart(2, '0')}`, 'stopped'));
    many[39] = workspace('w39', 'error');
    many[30] = workspace('w30', 'starting');
    const menu = buildTrayMenu({ workspaces: many, accounts: [SANDBOX], maxWorkspaceLines: 5 });
    const lines = menu.items.filter((i) => i.type === 'submenu' && i.id.startsWith('workspace:')).map((i) => (i.type === 'submenu' ? i.label.split(' ')[0] : ''));
    expect(lines).toEqual(['w00', 'w01', 'w02', 'w30', 'w39']);
    expect(menu.items.find((i) => i.type === 'item' && i.id === 'all-workspaces')).toMatchObject({ label: 'All 40 workspaces…', action: { kind: 'dashboard' } });
  });

  it("has Install command line tool in its Help menu, and Uninstall once it is installed, saying where", () => {
    const help = (commandLineToolPath?: string) => {
      const menu = buildTrayMenu({ workspaces: [], accounts: [SANDBOX], ...(commandLineToolPath ? { commandLineToolPath } : {}) });
      const submenu = menu.items.find((i) => i.type === 'submenu' && i.id === 'help');
      if (submenu?.type !== 'submenu') throw new Error('no Help menu');
      return submenu.items.map((i) => (i.type === 'item' ? [i.label, i.enabled, i.action] : [i.type]));
    };
    expect(help()).toEqual([
      ['Command line tool: not installed', false, undefined],
      ['Install command line tool…', true, { kind: 'installCommandLineTool' }],
      ['Uninstall command line tool', false, { kind: 'uninstallCommandLineTool' }],
    ]);
    expect(help('/home/r&d/.local/bin/porthole')).toEqual([
      ['Command line tool: /home/r&&d/.local/bin/porthole', false, undefined],
      ['Install command line tool…', true, { kind: 'installCommandLineTool' }],
      ['Uninstall command line tool', true, { kind: 'uninstallCommandLineTool' }],
    ]);
  });

  it('switches accounts with a check on the active one; an expired IAM Identity Center account offers Sign in', () => {
    const accounts: TrayAccount[] = [
      { name: 'sandbox', kind: 'sandbox', active: false, health: 'ok' },
      { name: 'work', kind: 'aws-profile', active: true, health: 'expired', signInKind: 'sso' },
      { name: 'keys', kind: 'aws-profile', active: false, health: 'expired', signInKind: 'none' },
    ];
    const menu = buildTrayMenu({ workspaces: [], accounts });
    const switcher = menu.items.find((i) => i.type === 'submenu' && i.id === 'accounts');
    if (switcher?.type !== 'submenu') throw new Error('no account switcher');
    expect(switcher.label).toBe('Account: work (sign-in needed)');
    expect(switcher.items.map((i) => (i.type === 'item' ? [i.label, i.checked ?? false, i.action] : []))).toEqual([
      ['Sandbox (on this computer)', false, { kind: 'useAccount', account: 'sandbox' }],
      ['work — sign-in needed', true, { kind: 'useAccount', account: 'work' }],
      ['Sign in to work…', false, { kind: 'signIn', account: 'work' }],
      ['keys — sign-in needed', false, { kind: 'useAccount', account: 'keys' }],
    ]);
    expect(menu.items.find((i) => i.type === 'item' && i.id === 'new-workspace')).toMatchObject({ enabled: false });
    expect(menu.tooltip).toBe('Porthole — sign-in needed: work, keys');
  });

  it('every enabled workspace action names a listed workspace and is one its state allows', () => {
    const arbitraryWorkspace = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      region: fc.constantFrom('us-east-1', 'eu-west-1'),
      state: fc.constantFrom(...STATES),
      hasPassword: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbitraryWorkspace, { selector: (w) => `${w.region}/${w.name}`, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (specs, max) => {
        const workspaces = specs.map((s) => workspace(s.name, s.state, { region: s.region, hasPassword: s.hasPassword }));
        const menu = buildTrayMenu({ workspaces, accounts: [SANDBOX], maxWorkspaceLines: max });
        const walk = (items: TrayMenuItem[]): Array<Extract<TrayMenuItem, { type: 'item' }>> =>
          items.flatMap((i) => (i.type === 'submenu' ? walk(i.items) : i.type === 'item' ? [i] : []));
        for (const item of walk(menu.items)) {
          if (item.action?.kind !== 'workspace' || !item.enabled) continue;
          const { ref, action } = item.action;
          const target = workspaces.find((w) => w.name === ref.name && w.region === ref.region);
          expect(target).toBeDefined();
          expect(allowedActions(target!).has(action)).toBe(true);
        }
        const listed = menu.items.filter((i) => i.type === 'submenu' && i.id.startsWith('workspace:')).length;
        expect(listed).toBe(Math.min(workspaces.length, max));
      }),
    );
  });
});

describe('tray with several enabled accounts', () => {
  const TEAM: TrayAccount = { name: 'team', kind: 'aws-profile', active: false, health: 'ok' };
  const labels = (items: TrayMenuItem[]) => items.flatMap((i) => (i.type === 'separator' ? [] : [i.label]));

  it('groups the lines under each account, the active one first, and an account with none says so', () => {
    const workspaces = [workspace('mine', 'ready'), workspace('teamwork', 'stopped', { account: 'team' })];
    const menu = buildTrayMenu({ workspaces, accounts: [SANDBOX, TEAM, { ...TEAM, name: 'spare' }], enabledAccounts: ['team', 'sandbox', 'spare'] });
    const lines = labels(menu.items);
    expect(lines.slice(0, 6)).toEqual(['Sandbox', expect.stringMatching(/^mine — running/), 'team', expect.stringMatching(/^teamwork — stopped/), 'spare', 'No workspaces']);
  });

  it("acts on another account's workspace by naming its account, with the same rules as the active one's", () => {
    const workspaces = [workspace('box', 'ready'), workspace('box', 'stopped', { account: 'team' })];
    const menu = buildTrayMenu({ workspaces, accounts: [SANDBOX, TEAM], enabledAccounts: ['sandbox', 'team'] });
    const team = menu.items.find((i) => i.type === 'submenu' && i.id === 'workspace:team/us-east-1/box:menu');
    expect(team?.type).toBe('submenu');
    const start = team?.type === 'submenu' ? team.items.find((i) => i.type === 'item' && i.action?.kind === 'workspace' && i.action.action === 'start') : undefined;
    expect(start).toMatchObject({ enabled: true, action: { kind: 'workspace', action: 'start', ref: { name: 'box', region: 'us-east-1', account: 'team' } } });
    const own = menu.items.find((i) => i.type === 'submenu' && i.id === 'workspace:sandbox/us-east-1/box:menu');
    expect(own?.type === 'submenu' && own.items.some((i) => i.type === 'item' && i.action?.kind === 'workspace' && i.action.action === 'stop' && i.enabled)).toBe(true);
  });

  it("gives another account's ready workspace its own Ports submenu, each port acting in that account", () => {
    const workspaces = [workspace('box', 'ready'), workspace('box', 'ready', { account: 'team' })];
    const ports = new Map([
      [portsKey(workspaces[0]!), [{ port: 3000, listening: true }]],
      [portsKey(workspaces[1]!), [{ port: 8888, process: 'jupyter', listening: true, localPort: 8888, localAddress: 'http://127.0.0.1:8888', origin: 'declared' as const }]],
    ]);
    const menu = buildTrayMenu({ workspaces, accounts: [SANDBOX, TEAM], enabledAccounts: ['sandbox', 'team'], ports });
    const portsOf = (account: string) => {
      const box = menu.items.find((i) => i.type === 'submenu' && i.id === `workspace:${account}/us-east-1/box:menu`);
      const submenu = box?.type === 'submenu' ? box.items.find((i) => i.type === 'submenu' && i.id.endsWith(':ports')) : undefined;
      return submenu?.type === 'submenu' ? submenu : undefined;
    };
    const ref = { name: 'box', region: 'us-east-1', account: 'team' };
    expect(portsOf('team')?.label).toBe('Ports (1 forwarded)');
    expect(portsOf('team')?.items.map((i) => (i.type === 'item' ? [i.id, i.label, i.action] : [i.type]))).toEqual([
      ['workspace:team/us-east-1/box:port:8888:open', '8888 jupyter → 127.0.0.1:8888 (declared)', { kind: 'port', action: 'open', ref, port: 8888 }],
      ['separator'],
      ['workspace:team/us-east-1/box:port:8888:stop', 'Stop forwarding 8888', { kind: 'port', action: 'stopForwarding', ref, port: 8888 }],
    ]);
    // Same name, other account: its own lines, not the team's.
    expect(portsOf('sandbox')?.items.map((i) => (i.type === 'item' ? i.action : undefined))).toEqual([{ kind: 'port', action: 'forward', ref: { ...ref, account: 'sandbox' }, port: 3000 }]);
  });

  it('keeps one flat list, without account headings, when only one account is enabled', () => {
    const menu = buildTrayMenu({ workspaces: [workspace('mine', 'ready')], accounts: [SANDBOX, TEAM], enabledAccounts: ['sandbox'] });
    expect(labels(menu.items)[0]).toMatch(/^mine — running/);
    expect(menu.items.some((i) => 'id' in i && i.id.startsWith('account-group:'))).toBe(false);
  });
});

describe('the Ports submenu of a workspace', () => {
  const portsOf = (items: TrayMenuItem[], name: string) => {
    const menu = items.find((i) => i.type === 'submenu' && i.id.endsWith(`/${name}:menu`));
    if (menu?.type !== 'submenu') throw new Error(`no submenu for ${name}`);
    return menu.items.find((i) => i.type === 'submenu' && i.id.endsWith(':ports'));
  };

  it('lists each port: a forwarded one opens its local address, another is forwarded on click, and each forward can be stopped', () => {
    const ports = new Map([
      [
        'sandbox/us-east-1/demo',
        [
          { port: 3000, process: 'python3', listening: true, localPort: 41234, localAddress: 'http://127.0.0.1:41234', origin: 'auto' as const },
          { port: 10_000, process: 'api', listening: true },
          { port: 20_000, process: 'jupyter', listening: true, localPort: 20_000, localAddress: 'http://127.0.0.1:20000', origin: 'declared' as const },
        ],
      ],
    ]);
    const { items } = buildTrayMenu({ workspaces: [workspace('demo', 'ready')], accounts: [SANDBOX], ports });
    const submenu = portsOf(items, 'demo');
    expect(submenu).toMatchObject({ type: 'submenu', label: 'Ports (2 forwarded)' });
    if (submenu?.type !== 'submenu') throw new Error('no Ports submenu');
    const ref = { name: 'demo', region: 'us-east-1', account: 'sandbox' };
    expect(submenu.items.map((i) => (i.type === 'item' ? [i.label, i.action] : [i.type]))).toEqual([
      ['3000 python3 → 127.0.0.1:41234 (auto)', { kind: 'port', action: 'open', ref, port: 3000 }],
      ['10000 api — forward', { kind: 'port', action: 'forward', ref, port: 10_000 }],
      ['20000 jupyter → 127.0.0.1:20000 (declared)', { kind: 'port', action: 'open', ref, port: 20_000 }],
      ['separator'],
      ['Stop forwarding 3000', { kind: 'port', action: 'stopForwarding', ref, port: 3000 }],
      ['Stop forwarding 20000', { kind: 'port', action: 'stopForwarding', ref, port: 20_000 }],
    ]);
  });

  it('has no Ports submenu while the workspace listens on nothing or is not ready', () => {
    const ports = new Map([['sandbox/us-east-1/demo', [{ port: 3000, listening: true }]]]);
    expect(portsOf(buildTrayMenu({ workspaces: [workspace('demo', 'ready')], accounts: [SANDBOX] }).items, 'demo')).toBeUndefined();
    expect(portsOf(buildTrayMenu({ workspaces: [workspace('demo', 'stopping')], accounts: [SANDBOX], ports }).items, 'demo')).toBeUndefined();
  });
});
