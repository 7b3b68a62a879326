/** What main knows of the frame an IPC message came from. */
export interface SenderFrame {
  /** The URL of the frame that sent it; undefined when the frame is gone. */
  url: string | undefined;
  /** Whether that frame is the top frame of its page (not an iframe). */
  isMainFrame: boolean;
  /** The id of the webContents it belongs to. */
  webContentsId: number;
}

/**
 * Whether a contract call comes from the dashboard: the top frame of the
 * dashboard's own webContents, showing the app's own renderer file. An
 * editor window, an iframe or a page the dashboard was made to load is not it.
 */
export function isTrustedSender(sender: SenderFrame, dashboard: { webContentsId: number | undefined; rendererUrl: string }): boolean {
  if (dashboard.webContentsId === undefined || sender.webContentsId !== dashboard.webContentsId || !sender.isMainFrame || !sender.url) return false;
  let url: URL;
  let own: URL;
  try {
    url = new URL(sender.url);
    own = new URL(dashboard.rendererUrl);
  } catch {
    return false;
  }
  return url.protocol === 'file:' && own.protocol === 'file:' && url.host === own.host && url.pathname === own.pathname;
}
