/**
 * The strip shown over an editor whose tunnel dropped: a data: page with
 * no script (its view runs with JavaScript off), the message escaped.
 */
export function tunnelOverlayPage(message: string): string {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><style>body{margin:0;font:14px system-ui,sans-serif;background:#b45309;color:#fff;display:flex;align-items:center;height:100vh;padding:0 16px}</style><body role="alert">${escaped}</body>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
