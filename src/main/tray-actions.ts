import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, dialog, Notification, shell } from 'electron';
import { configuredHosts, portholeSshDir, sshHostName } from '../core/access/ssh-config-file.js';
import type { DashboardService } from '../core/app/dashboard-service.js';
import { toContractError } from '../core/app/contract-error.js';
import { PortholeError } from '../core/errors.js';
import type { TrayAction, WorkspaceAction } from '../core/tray/tray-menu.js';
import type { CallName, DashboardView, WorkspaceRef } from '../shared/contract.js';
import { vscodeRemoteLink } from './vscode-remote-policy.js';

/**
 * What each tray item does: the same contract calls the dashboard makes, so
 * an action from the tray logs, notifies and shows progress in the menu
 * line exactly as one from the dashboard. Failures become notices.
 */
export function trayActions(service: DashboardService, windows: { showDashboard(view?: DashboardView): void }): (action: TrayAction) => void {
  const { handlers } = service;
  const failed = (what: string, workspace?: string) => (error: unknown) => {
    const problem = toContractError(error);
    const message = problem.fix ? `${problem.message} ${problem.fix}` : problem.message;
    service.events.emit('notice', { level: 'error', title: `${what} failed`, message, ...(workspace ? { workspace } : {}) });
    // A tray action may run with no window open: the desktop is where its failure is seen.
    if (Notification.isSupported()) new Notification({ title: `${what} failed`, body: message, urgency: 'critical' }).show();
  };
  return (action) => {
    switch (action.kind) {
      case 'dashboard':
        windows.showDashboard();
        return;
      case 'newWorkspace':
        windows.showDashboard('createWizard');
        return;
      case 'quit':
        app.quit();
        return;
      case 'useAccount':
        void handlers.useAccount({ name: action.account }).catch(failed(`Switching to ${action.account}`));
        return;
      case 'signIn':
        void handlers.signIn({ account: action.account }).catch(failed(`Signing in to ${action.account}`));
        return;
      case 'workspace':
        void workspaceAction(service, action).catch(failed(`${action.action} ${action.ref.name}`, action.ref.name));
    }
  };
}

/** Tray actions that are one contract call on the workspace, as the dashboard's buttons are. */
const WORKSPACE_CALLS = {
  open: 'openWorkspace',
  openInBrowser: 'openInBrowser',
  start: 'startWorkspace',
  stop: 'stopWorkspace',
  hibernate: 'hibernateWorkspace',
  resume: 'resumeWorkspace',
  copyPassword: 'copyPassword',
} as const satisfies Partial<Record<WorkspaceAction, CallName>>;

async function workspaceAction(service: DashboardService, { action, ref }: Extract<TrayAction, { kind: 'workspace' }>): Promise<void> {
  const { handlers } = service;
  if (action === 'openInVsCode') {
    const all = await handlers.listWorkspaces();
    const workspace = all.find((w) => w.name === ref.name && w.region === ref.region);
    if (!workspace) return;
    // VS Code reaches the workspace through the Host entry porthole ssh-config writes; without it the link fails in VS Code, unexplained.
    const host = sshHostName(workspace, all);
    const config = await readFile(join(portholeSshDir(app.getPath('home')), 'config'), 'utf8').catch(() => '');
    if (!configuredHosts(config).has(host)) {
      throw new PortholeError('usage', `VS Code Remote-SSH has no SSH entry for ${workspace.name} (${host}).`, {
        fix: 'Run "porthole ssh-config" once in a terminal (again after creating workspaces), then Open in VS Code.',
      });
    }
    await shell.openExternal(vscodeRemoteLink(workspace, all));
    return;
  }
  if (action === 'delete') {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      message: `Delete ${ref.name}?`,
      detail: `Its instance, static IP, snapshots and keychain password go, and its files with them. This cannot be undone.`,
      buttons: ['Cancel', 'Delete'],
      defaultId: 0,
      cancelId: 0,
    });
    if (response === 1) await handlers.deleteWorkspace(ref);
    return;
  }
  await (handlers[WORKSPACE_CALLS[action]] as (request: WorkspaceRef) => Promise<unknown>)(ref);
}
