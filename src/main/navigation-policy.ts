/**
 * Where the embedded editor may go: only its own workspace's origin. Any
 * other address (a link in a README, an OAuth page, a javascript: URL) is
 * refused in the window and, if it is a web address, handed to the system
 * browser instead.
 */
export function isNavigationAllowed(target: string, sessionOrigin: string): boolean {
  const url = parseUrl(target);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === sessionOrigin;
}

/**
 * Where a frame inside the editor may go: VS Code's own frames (webviews,
 * the extension host worker page) come from the same origin or are blank
 * or blob documents of it; anything else is refused.
 */
export function isFrameNavigationAllowed(target: string, sessionOrigin: string): boolean {
  if (target === 'about:blank' || target === 'about:srcdoc') return true;
  const url = parseUrl(target);
  if (url?.protocol === 'blob:') return isNavigationAllowed(url.pathname, sessionOrigin);
  return isNavigationAllowed(target, sessionOrigin);
}

/** Whether an address may be given to the system browser: web addresses only, never file:, javascript: or a custom scheme. */
export function isExternalOpenAllowed(target: string): boolean {
  const url = parseUrl(target);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
}

/** The dashboard never navigates: it is one page loaded once from the app's files. */
export function isDashboardNavigationAllowed(target: string, dashboardUrl: string): boolean {
  const url = parseUrl(target);
  const own = parseUrl(dashboardUrl);
  return url !== undefined && own !== undefined && url.protocol === 'file:' && url.pathname === own.pathname;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
