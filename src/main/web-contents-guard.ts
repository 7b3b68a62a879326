import { shell, type Session, type WebContents } from 'electron';
import { isExternalOpenAllowed } from './navigation-policy.js';

/**
 * What every Porthole page gets: no new windows (web links go to the
 * system browser, through `openLink` when given), no <webview>, no
 * permission prompts unless `allow` says so.
 */
export function guardWebContents(contents: WebContents, options: { allowNavigation: (url: string, isMainFrame: boolean) => boolean; openLink?: (url: string) => void }): void {
  const openLink = options.openLink ?? openOutside;
  contents.setWindowOpenHandler(({ url }) => {
    openLink(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (options.allowNavigation(event.url, true)) return;
    event.preventDefault();
    openLink(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!options.allowNavigation(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!options.allowNavigation(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Refuses every permission (camera, notifications, geolocation…) except those `allowed` names for `origin`. */
export function guardPermissions(session: Session, allowed: { origin?: string; permissions: ReadonlySet<string> } = { permissions: new Set() }): void {
  const permitted = (permission: string, requestingUrl: string | undefined) => {
    if (!allowed.origin || !allowed.permissions.has(permission) || !requestingUrl) return false;
    try {
      return new URL(requestingUrl).origin === allowed.origin;
    } catch {
      return false;
    }
  };
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permitted(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permitted(permission, requestingOrigin));
}

/** Gives a web address to the system browser; anything else is dropped. */
export function openOutside(url: string): void {
  if (isExternalOpenAllowed(url)) void shell.openExternal(url);
}
