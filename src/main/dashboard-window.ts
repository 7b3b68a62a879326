import { BrowserWindow, session } from 'electron';
import { pathToFileURL } from 'node:url';
import type { DashboardView } from '../shared/contract.js';
import type { LogViewTarget } from '../shared/workspace-log.js';
import { dashboardViewHash } from './dashboard-view-hash.js';
import { isDashboardNavigationAllowed } from './navigation-policy.js';
import { guardPermissions, guardWebContents } from './web-contents-guard.js';

export interface DashboardFiles {
  /** out/preload/index.cjs */
  preload: string;
  /** out/renderer/index.html */
  rendererFile: string;
  icon?: string;
}

export function dashboardUrl(files: DashboardFiles): string {
  return pathToFileURL(files.rendererFile).href;
}

/**
 * The dashboard: the React renderer from the app's own files, sandboxed,
 * isolated, reaching the core only through the preload's contract.
 */
export function createDashboardWindow(files: DashboardFiles, options: { view?: DashboardView; logs?: LogViewTarget } = {}): BrowserWindow {
  // The options are written out here, not built elsewhere, so the security scan reads them as they are.
  const window = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Porthole',
    ...(files.icon ? { icon: files.icon } : {}),
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would otherwise open a link in a new Electron window.
      disableBlinkFeatures: 'Auxclick',
      session: session.defaultSession,
    },
  });
  const own = dashboardUrl(files);
  guardWebContents(window.webContents, { allowNavigation: (url) => isDashboardNavigationAllowed(url, own) });
  guardPermissions(window.webContents.session);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(files.rendererFile, options.view ? { hash: dashboardViewHash(options.view, options.logs) } : undefined);
  return window;
}
