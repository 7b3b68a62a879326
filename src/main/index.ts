import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { app, clipboard, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { DashboardService } from '../core/app/dashboard-service.js';
import type { DashboardView } from '../shared/contract.js';
import type { LogViewTarget } from '../shared/workspace-log.js';
import { toContractError } from '../core/app/contract-error.js';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../core/settings/settings-store.js';
import { defaultDataDir } from '../cli/context.js';
import { connectSandbox } from '../cli/sandbox-account.js';
import { appPaths } from './app-paths.js';
import { serveContractIpc, type ContractIpc } from './contract-ipc.js';
import { createDashboardWindow, dashboardUrl } from './dashboard-window.js';
import type { DeepLink } from './deep-link-policy.js';
import { listenForDeepLinks } from './deep-links.js';
import { applyLaunchAtLogin } from './login-item.js';
import { EditorWindows } from './editor-window.js';
import { isExternalOpenAllowed } from './navigation-policy.js';
import { showNotifications } from './notifications.js';
import { PortholeTray } from './tray.js';
import { trayActions } from './tray-actions.js';

const VSCODE_REMOTE_SSH = 'vscode://vscode-remote/ssh-remote+';
const paths = appPaths({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, platform: process.platform });

if (!app.requestSingleInstanceLock()) {
  // The first instance gets this one's arguments (a deep link) through 'second-instance'.
  app.quit();
} else {
  main().catch((error: unknown) => {
    // Nothing to show the failure in yet (the keychain or the sandbox would not open): say it in a dialog, then go.
    const problem = toContractError(error);
    dialog.showErrorBox('Porthole could not start', problem.fix ? `${problem.message}\n\n${problem.fix}` : problem.message);
    app.exit(1);
  });
}

async function main(): Promise<void> {
  let dashboard: BrowserWindow | undefined;
  // Filled once the service is open; a deep link that comes sooner waits in pendingLinks.
  const running: { service?: DashboardService; ipc?: ContractIpc } = {};
  const pendingLinks: DeepLink[] = [];

  const showDashboard = (view?: DashboardView, logs?: LogViewTarget) => {
    // Its calls have no handler until the service is open; main() shows it then.
    if (!running.service) return;
    if (!dashboard || dashboard.isDestroyed()) {
      dashboard = createDashboardWindow({ ...paths, ...(paths.appIcon ? { icon: paths.appIcon } : {}) }, view ? { view, ...(logs ? { logs } : {}) } : {});
      // The open dashboard is someone watching: ports show within seconds while it is there.
      const stopWatching = running.service.watchWorkspaces();
      dashboard.on('closed', () => {
        stopWatching();
        running.ipc?.pageGone();
        dashboard = undefined;
      });
    } else {
      if (dashboard.isMinimized()) dashboard.restore();
      dashboard.show();
      dashboard.focus();
      if (view) running.service.events.emit('showView', { view, ...(logs ? { logs } : {}) });
    }
  };

  const openLink = (link: DeepLink) => {
    const service = running.service;
    if (!service) {
      pendingLinks.push(link);
      return;
    }
    void service.handlers.openWorkspace({ name: link.name, ...(link.region ? { region: link.region } : {}) }).catch((error: unknown) => {
      const problem = toContractError(error);
      showDashboard();
      service.events.emit('notice', { level: 'error', title: `Could not open ${link.name}`, message: problem.fix ? `${problem.message} ${problem.fix}` : problem.message, workspace: link.name });
    });
  };

  const links = listenForDeepLinks(openLink);
  app.on('second-instance', (_event, argv) => {
    if (!links.fromArgs(argv)) showDashboard();
  });
  // Closing every window leaves the tray; only Quit ends the app.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => showDashboard());

  // Windows shows notifications only for an app with the id its installer registered (electron-builder.yml appId).
  if (process.platform === 'win32') app.setAppUserModelId('dev.porthole.app');
  await app.whenReady();
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu()));

  const dataDir = defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir);
  const opened = await DashboardService.open({
    dataDir,
    settings,
    secrets: new KeytarSecretStore(),
    connectSandbox: () => connectSandbox(dataDir),
    // The password goes from this process to the clipboard; it never reaches a page.
    copyToClipboard: async (text) => clipboard.writeText(text),
    openExternal: async (url) => {
      if (isExternalOpenAllowed(url)) await shell.openExternal(url);
    },
    openEditorWindow: (workspace) => editors.open(workspace),
    commandLine: paths.commandLine,
    // "Export diagnostics" asks where, beside the dashboard window when it is open.
    chooseSavePath: async (suggestedName) => {
      const options = { title: 'Export diagnostics', defaultPath: join(app.getPath('downloads'), suggestedName), filters: [{ name: 'Diagnostics archive', extensions: ['gz'] }] };
      const chosen = dashboard && !dashboard.isDestroyed() ? await dialog.showSaveDialog(dashboard, options) : await dialog.showSaveDialog(options);
      return chosen.canceled || !chosen.filePath ? undefined : chosen.filePath;
    },
    // Only the Remote-SSH link the core makes from one of its workspaces comes this way; anything else is dropped.
    openVsCodeLink: async (link) => {
      if (link.startsWith(VSCODE_REMOTE_SSH)) await shell.openExternal(link);
    },
  });
  const editors = new EditorWindows(opened);
  running.service = opened;
  const tray = new PortholeTray(opened, { trayDir: paths.trayDir, run: trayActions(opened, { showDashboard }) });
  // The tray as built, for the Playwright suite (it reads and clicks the menu in this process) and for debugging.
  (globalThis as Record<symbol, unknown>)[Symbol.for('porthole.tray')] = tray;

  const ipc = serveContractIpc(opened, { webContents: () => (dashboard && !dashboard.isDestroyed() ? dashboard.webContents : undefined), rendererUrl: dashboardUrl(paths) });
  running.ipc = ipc;
  const loginItemFailed = (error: unknown) => opened.events.emit('notice', { level: 'error', title: 'Launch at login', message: `Could not change it: ${toContractError(error).message}` });
  void applyLaunchAtLogin(settings.get().launchAtLogin).catch(loginItemFailed);
  opened.events.subscribe((event, payload) => {
    if (event === 'settingsChanged') void applyLaunchAtLogin((payload as { launchAtLogin: boolean }).launchAtLogin).catch(loginItemFailed);
  });

  const stopNotifications = showNotifications(opened, settings, {
    isWatching: (ref) => editors.isFocused(ref) || (dashboard !== undefined && !dashboard.isDestroyed() && dashboard.isFocused()),
    showDashboard,
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    // Tunnels and lightsail-local are closed before the process goes, so no ssh is left behind.
    event.preventDefault();
    editors.closeAll();
    tray.destroy();
    stopNotifications();
    ipc.stop();
    void opened.close().finally(() => app.exit(0));
  });

  if (!links.fromArgs(process.argv)) showDashboard();
  for (const link of pendingLinks.splice(0)) openLink(link);
}

/**
 * The app menu: no Close Window (Ctrl/Cmd+W), New, Reload or Tab
 * accelerators, which would take VS Code's keys in an editor window;
 * the Edit roles keep copy and paste working on macOS.
 */
function applicationMenu(): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  if (process.platform !== 'darwin') return [edit];
  return [{ label: app.name, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] }, edit];
}
