import { describe, expect, it } from 'vitest';
import { buildTrayMenu, type TrayAction } from '../core/tray/tray-menu.js';
import type { Workspace } from '../shared/workspace.js';
import { trayTemplate } from './tray-template.js';
import { workspaceView } from '../../test/support/workspace-view.js';

const demo: Workspace = workspaceView();

describe('trayTemplate', () => {
  const ran: TrayAction[] = [];
  const model = buildTrayMenu({ workspaces: [demo], accounts: [{ name: 'sandbox', kind: 'sandbox', active: true, health: 'ok' }] });
  const template = trayTemplate(model.items, (action) => ran.push(action));

  it('keeps the labels, order, separators and enabled state of the model', () => {
    expect(template.map((item) => item.type === 'separator' ? '—' : item.label)).toEqual(['demo — running — $12/mo', '—', 'New workspace…', 'Dashboard', 'Account: Sandbox', 'Help', '—', 'Quit Porthole']);
    const submenu = template[0]!.submenu as Electron.MenuItemConstructorOptions[];
    const stop = submenu.find((item) => item.label === 'Stop');
    expect(stop?.enabled).toBe(true);
    expect(submenu.find((item) => item.label === 'Resume')).toBeUndefined();
  });

  it('hands a click its item action', () => {
    const submenu = template[0]!.submenu as Electron.MenuItemConstructorOptions[];
    (submenu.find((item) => item.label === 'Open')!.click as () => void)();
    expect(ran).toEqual([{ kind: 'workspace', action: 'open', ref: { name: 'demo', region: 'us-east-1', account: 'sandbox' } }]);
  });

  it('shows the active account as a checked item', () => {
    const accounts = template.find((item) => item.label === 'Account: Sandbox')!.submenu as Electron.MenuItemConstructorOptions[];
    expect(accounts[0]).toMatchObject({ type: 'checkbox', checked: true, label: 'Sandbox (on this computer)' });
  });
});
