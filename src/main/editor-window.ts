import { BaseWindow, session as electronSession, WebContentsView, type Session } from 'electron';
import { toContractError } from '../core/app/contract-error.js';
import type { DashboardService } from '../core/app/dashboard-service.js';
import type { TunnelEvent } from '../core/access/tunnel-events.js';
import type { SessionCookies, WorkspaceSession } from '../core/access/workspace-access.js';
import type { Workspace, WorkspaceState } from '../shared/workspace.js';
import { certificateVerdict } from './certificate-pin-policy.js';
import { isEditorKey } from './editor-keys-policy.js';
import { linkTarget } from './forwarded-link-policy.js';
import { isFrameNavigationAllowed, isNavigationAllowed } from './navigation-policy.js';
import { guardPermissions, guardWebContents, openOutside } from './web-contents-guard.js';
import { tunnelOverlayPage } from './tunnel-overlay.js';
import { editorWindowTitle, workspacePartition } from './window-policy.js';

/** VS Code reads and writes the clipboard of its own page; nothing else is granted. */
const EDITOR_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-read', 'clipboard-sanitized-write']);

const REOPEN_DELAY_MS = 3_000;

/** Two accounts may each have a workspace of the same name and region: the account is part of the key. */
const keyOf = (w: { account?: string; region: string; name: string }) => `${w.account ?? ''}/${w.region}/${w.name}`;

/**
 * The embedded VS Code of each workspace: one window per workspace, showing
 * its code-server in a view with no preload and its own persistent
 * partition, logged in before the first request, never leaving its origin.
 */
export class EditorWindows {
  readonly #service: DashboardService;
  readonly #open = new Map<string, EditorWindow>();

  constructor(service: DashboardService) {
    this.#service = service;
    service.events.subscribe((event, payload) => {
      if (event === 'workspaceChanged') this.#open.get(keyOf((payload as { workspace: Workspace }).workspace))?.showState((payload as { workspace: Workspace }).workspace.state);
      if (event === 'workspaceRemoved') this.#open.get(keyOf(payload as { name: string; region: string; account: string }))?.close();
      // Another account: its workspaces are not these.
      if (event === 'workspacesReset') for (const window of this.#open.values()) if (window.account !== (payload as { account: string }).account) window.close();
    });
  }

  /** Opens the workspace's window, or brings its open window to the front. */
  async open(workspace: Workspace): Promise<void> {
    const existing = this.#open.get(keyOf(workspace));
    if (existing) {
      existing.focus();
      return;
    }
    const window = new EditorWindow(this.#service, workspace, () => this.#open.delete(keyOf(workspace)));
    this.#open.set(keyOf(workspace), window);
    try {
      await window.connect();
    } catch (error) {
      window.close();
      throw error;
    }
  }

  /** The windows open now, for the tray and the tests. */
  list(): Array<{ name: string; region: string; title: string }> {
    return [...this.#open.values()].map((w) => ({ name: w.name, region: w.region, title: w.title }));
  }

  /** Whether the workspace's window has the focus: the user is watching it. */
  isFocused(ref: { name: string; region: string }): boolean {
    return this.#open.get(keyOf(ref))?.isFocused() ?? false;
  }

  closeAll(): void {
    for (const window of [...this.#open.values()]) window.close();
  }
}

class EditorWindow {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly #service: DashboardService;
  readonly #window: BaseWindow;
  readonly #view: WebContentsView;
  readonly #session: Session;
  #overlay: WebContentsView | undefined;
  #workspaceSession: WorkspaceSession | undefined;
  #state: WorkspaceState | 'tunnel lost';
  #closed = false;
  #reopenTimer: NodeJS.Timeout | undefined;
  readonly #unsubscribeTunnel: () => void;

  constructor(service: DashboardService, workspace: Workspace, onClosed: () => void) {
    this.#service = service;
    this.name = workspace.name;
    this.region = workspace.region;
    this.account = workspace.account;
    this.#state = workspace.state;
    this.#session = electronSession.fromPartition(workspacePartition(workspace));
    this.#window = new BaseWindow({ width: 1280, height: 840, title: this.title, show: false });
    // No menu of the window's own, so no accelerator can take a VS Code key.
    this.#window.removeMenu();
    this.#view = new WebContentsView({ webPreferences: isolatedPage(this.#session) });
    this.#window.contentView.addChildView(this.#view);
    this.#fit();
    this.#window.on('resize', () => this.#fit());
    this.#window.on('closed', () => {
      this.#closed = true;
      clearTimeout(this.#reopenTimer);
      this.#unsubscribeTunnel();
      void this.#workspaceSession?.release();
      this.#workspaceSession = undefined;
      onClosed();
    });
    const contents = this.#view.webContents;
    contents.on('before-input-event', (_event, input) => contents.setIgnoreMenuShortcuts(isEditorKey(input, process.platform)));
    contents.on('page-title-updated', (event) => event.preventDefault());
    // Until a session is open there is no origin, so nowhere to go.
    guardWebContents(contents, {
      allowNavigation: (url, isMainFrame) => {
        const origin = this.#workspaceSession?.origin;
        return origin !== undefined && (isMainFrame ? isNavigationAllowed(url, origin) : isFrameNavigationAllowed(url, origin));
      },
      openLink: (url) => void this.#openLink(url),
    });
    this.#unsubscribeTunnel = service.onTunnelChange((event) => this.#onTunnel(event));
  }

  get title(): string {
    return editorWindowTitle(this.name, this.#state);
  }

  focus(): void {
    if (this.#window.isMinimized()) this.#window.restore();
    this.#window.show();
    this.#window.focus();
  }

  close(): void {
    if (!this.#closed) this.#window.close();
  }

  isFocused(): boolean {
    return !this.#closed && this.#window.isFocused();
  }

  showState(state: WorkspaceState): void {
    if (this.#state === 'tunnel lost' && state === 'ready') return;
    this.#state = state;
    this.#window.setTitle(this.title);
  }

  /** Opens a session (a tunnel, or pinned HTTPS), logs the partition in with its cookie, and loads the editor. */
  async connect(): Promise<void> {
    const opened = await this.#service.openSession({ name: this.name, region: this.region, account: this.account });
    if (this.#closed) {
      await opened.release();
      return;
    }
    await this.#workspaceSession?.release();
    this.#workspaceSession = opened;
    const origin = opened.origin;
    this.#pinCertificate(opened);
    guardPermissions(this.#session, { origin, permissions: EDITOR_PERMISSIONS });
    await this.#setCookies(opened, opened.cookies);
    // The workspace restored in place under this window: its new instance's login, and the editor loaded again there.
    opened.onRenewed?.((cookies) => {
      if (this.#workspaceSession !== opened || this.#closed) return;
      void this.#setCookies(opened, cookies).then(() => this.#view.webContents.loadURL(opened.url));
    });
    await this.#view.webContents.loadURL(opened.url);
    this.#hideOverlay();
    this.#state = 'ready';
    this.#window.setTitle(this.title);
    this.#window.show();
  }

  async #setCookies(opened: WorkspaceSession, cookies: SessionCookies): Promise<void> {
    for (const cookie of cookies) {
      await this.#session.cookies.set({ url: opened.url, name: cookie.name, value: cookie.value, path: cookie.path, httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: 'lax' });
    }
  }

  /** A link to a workspace port on localhost opens at its forward here, forwarded first when it only listens. */
  async #openLink(url: string): Promise<void> {
    const ref = { name: this.name, region: this.region, account: this.account };
    try {
      let target = linkTarget(url, await this.#service.handlers.listPorts(ref));
      if (target.kind === 'forward-first') target = linkTarget(url, await this.#service.handlers.forwardPort({ ...ref, port: target.port }), { forwardAsked: true });
      if (target.kind === 'open') openOutside(target.url);
      else this.#linkFailed(`Port ${target.port} of ${this.name} could not be forwarded, so ${url} was not opened. See the workspace's Ports panel.`);
    } catch (error) {
      const problem = toContractError(error);
      this.#linkFailed(problem.fix ? `${problem.message} ${problem.fix}` : problem.message);
    }
  }

  #linkFailed(message: string): void {
    this.#service.events.emit('notice', { level: 'error', title: `Could not open a link of ${this.name}`, message, workspace: this.name, region: this.region, account: this.account });
  }

  #pinCertificate(opened: WorkspaceSession): void {
    if (!opened.certificateSha256) {
      this.#session.setCertificateVerifyProc(null);
      return;
    }
    const pin = { host: new URL(opened.origin).hostname, certificateSha256: opened.certificateSha256 };
    this.#session.setCertificateVerifyProc((request, callback) => callback(certificateVerdict({ hostname: request.hostname, pem: request.certificate.data }, pin)));
  }

  #onTunnel(event: TunnelEvent): void {
    if (this.#closed || event.workspace !== this.name || event.region !== this.region) return;
    if (event.state === 'reconnecting') {
      this.#showOverlay(`The tunnel to ${this.name} dropped; reconnecting (attempt ${event.attempt ?? 1})…`);
    } else if (event.state === 'up' && this.#overlay) {
      // The tunnel came back on the same local port: VS Code reconnects its own socket.
      this.#hideOverlay();
      this.#state = 'ready';
      this.#window.setTitle(this.title);
    } else if (event.state === 'failed' || (event.state === 'closed' && this.#workspaceSession)) {
      this.#showOverlay(`The tunnel to ${this.name} is down${event.message ? `: ${event.message}` : ''}. Opening it again…`);
      this.#scheduleReopen();
    }
  }

  #scheduleReopen(): void {
    clearTimeout(this.#reopenTimer);
    this.#reopenTimer = setTimeout(() => {
      void this.connect().catch((error: unknown) => {
        if (this.#closed) return;
        this.#showOverlay(`Could not open ${this.name} again: ${error instanceof Error ? error.message : String(error)} Trying again…`);
        this.#scheduleReopen();
      });
    }, REOPEN_DELAY_MS);
  }

  #showOverlay(message: string): void {
    this.#state = 'tunnel lost';
    this.#window.setTitle(this.title);
    if (!this.#overlay) {
      this.#overlay = new WebContentsView({ webPreferences: { ...isolatedPage(electronSession.fromPartition('porthole-overlay')), javascript: false } });
      guardWebContents(this.#overlay.webContents, { allowNavigation: () => false });
      this.#window.contentView.addChildView(this.#overlay);
      this.#fit();
    }
    void this.#overlay.webContents.loadURL(tunnelOverlayPage(message));
  }

  #hideOverlay(): void {
    if (!this.#overlay) return;
    this.#window.contentView.removeChildView(this.#overlay);
    this.#overlay.webContents.close();
    this.#overlay = undefined;
  }

  #fit(): void {
    const { width, height } = this.#window.getContentBounds();
    this.#view.setBounds({ x: 0, y: 0, width, height });
    this.#overlay?.setBounds({ x: 0, y: 0, width, height: Math.min(height, 56) });
  }
}

function isolatedPage(session: Session) {
  return {
    session,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
  } as const;
}
