import { join } from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray } from 'electron';
import type { DashboardService } from '../core/app/dashboard-service.js';
import { buildTrayMenu, portsKey, type TrayAction } from '../core/tray/tray-menu.js';
import { trayIconFile } from './tray-icon-policy.js';
import { trayTemplate } from './tray-template.js';

/** Events come in bursts (a refresh, an operation's progress); the menu is rebuilt once per burst. */
const REBUILD_DELAY_MS = 150;

/**
 * The tray: its picture, tooltip and menu are the core's tray model of the
 * service's workspaces and accounts, rebuilt after every contract event and
 * when the desktop switches between light and dark.
 */
export class PortholeTray {
  readonly #tray: Tray;
  readonly #service: DashboardService;
  readonly #trayDir: string;
  readonly #run: (action: TrayAction) => void;
  #menu: Menu | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #unsubscribe: () => void;

  constructor(service: DashboardService, options: { trayDir: string; run: (action: TrayAction) => void }) {
    this.#service = service;
    this.#trayDir = options.trayDir;
    this.#run = options.run;
    this.#tray = new Tray(this.#image('idle'));
    this.#tray.setToolTip('Porthole');
    this.#unsubscribe = service.events.subscribe(() => this.schedule());
    nativeTheme.on('updated', () => this.schedule());
    this.schedule();
    // Where the desktop reports a left click (Windows, some Linux panels), open the menu too.
    this.#tray.on('click', () => this.#tray.popUpContextMenu());
  }

  /** The menu as last built: what a user sees when they open the tray. */
  menu(): Menu | undefined {
    return this.#menu;
  }

  schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#rebuild(), REBUILD_DELAY_MS);
  }

  destroy(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#tray.destroy();
  }

  async #rebuild(): Promise<void> {
    // Every enabled account's workspaces, each account's kept current by its own poller.
    const [every, accounts, commandLineTool] = await Promise.all([
      this.#service.handlers.listEveryAccount(),
      this.#service.handlers.listAccounts().catch(() => []),
      this.#service.handlers.getCommandLineTool().catch(() => undefined),
    ]);
    const commandLineToolPath = commandLineTool?.folders.find((f) => f.occupant === 'current')?.path;
    if (this.#tray.isDestroyed()) return;
    // Each account's session forwards its own workspaces' ports, the active one's or not.
    const ready = every.workspaces.filter((w) => w.state === 'ready');
    const lines = await Promise.all(ready.map((w) => this.#service.handlers.listPorts({ account: w.account, name: w.name, region: w.region }).catch(() => [])));
    const model = buildTrayMenu({
      workspaces: every.workspaces,
      enabledAccounts: every.accounts.map((a) => a.name),
      ports: new Map(ready.map((w, index) => [portsKey(w), lines[index]!])),
      accounts: accounts.map((a) => ({ name: a.name, kind: a.kind, active: a.active, health: a.health, ...(a.signInKind ? { signInKind: a.signInKind } : {}) })),
      ...(commandLineToolPath ? { commandLineToolPath } : {}),
    });
    this.#menu = Menu.buildFromTemplate(trayTemplate(model.items, this.#run));
    this.#tray.setContextMenu(this.#menu);
    this.#tray.setImage(this.#image(model.state));
    this.#tray.setToolTip(model.tooltip);
  }

  #image(state: Parameters<typeof trayIconFile>[0]) {
    const image = nativeImage.createFromPath(join(this.#trayDir, trayIconFile(state, process.platform, nativeTheme.shouldUseDarkColors)));
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }
}
