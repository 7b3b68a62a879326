import { app, dialog, Notification } from 'electron';
import type { DashboardService } from '../core/app/dashboard-service.js';
import { toContractError } from '../core/app/contract-error.js';
import type { TrayAction, WorkspaceAction } from '../core/tray/tray-menu.js';
import type { CallName, DashboardView, WorkspaceRef } from '../shared/contract.js';
import type { LogViewTarget } from '../shared/workspace-log.js';

/**
 * What each tray item does: the same contract calls the dashboard makes, so
 * an action from the tray logs, notifies and shows progress in the menu
 * line exactly as one from the dashboard. Failures become notices.
 */
export function trayActions(service: DashboardService, windows: { showDashboard(view?: DashboardView, logs?: LogViewTarget): void }): (action: TrayAction) => void {
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
      case 'showLogs':
        windows.showDashboard('logs', action.target);
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
      case 'installCommandLineTool':
        void installCommandLineTool(service).catch(failed('Installing the command line tool'));
        return;
      case 'uninstallCommandLineTool':
        void handlers.uninstallCommandLineTool().then(
          (result) => dialog.showMessageBox({ type: 'info', message: 'Command line tool', detail: result.message }),
          failed('Uninstalling the command line tool'),
        );
        return;
      case 'workspace':
        void workspaceAction(service, action).catch(failed(`${action.action} ${action.ref.name}`, action.ref.name));
        return;
      case 'port': {
        const request = { ...action.ref, port: action.port };
        const call = action.action === 'open' ? handlers.openPort(request) : action.action === 'forward' ? handlers.forwardPort(request) : handlers.stopForwarding(request);
        void call.catch(failed(`Port ${action.port} of ${action.ref.name}`, action.ref.name));
      }
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
  openInVsCode: 'openInVsCode',
  signInToAws: 'signInToAws',
} as const satisfies Partial<Record<WorkspaceAction, CallName>>;

/** Asks which folder (the one every user shares says what it does first), links porthole there, and says what it did. */
async function installCommandLineTool(service: DashboardService): Promise<void> {
  const { folders } = await service.handlers.getCommandLineTool();
  const { response } = await dialog.showMessageBox({
    type: 'question',
    message: 'Install the porthole command',
    detail: folders.map((f) => `${f.folder === 'user' ? 'For you' : 'For every user'}: ${f.path}${f.confirm ? `\n${f.confirm}` : ''}`).join('\n\n'),
    buttons: ['Cancel', ...folders.map((f) => (f.folder === 'user' ? `Install in ${f.dir}` : `Install in ${f.dir} for every user`))],
    defaultId: 1,
    cancelId: 0,
  });
  const folder = folders[response - 1];
  if (!folder) return;
  const result = await service.handlers.installCommandLineTool({ folder: folder.folder });
  await dialog.showMessageBox({ type: 'info', message: result.changed ? 'Command line tool installed' : 'Command line tool already installed', detail: result.message });
}

async function workspaceAction(service: DashboardService, { action, ref }: Extract<TrayAction, { kind: 'workspace' }>): Promise<void> {
  const { handlers } = service;
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
