import type { WorkspacePortView } from '../shared/ports.js';

/**
 * What a web link the editor hands out becomes: a link to a workspace port
 * on loopback is opened at that port's forward here, not at this
 * computer's own port of the same number.
 */
export type LinkTarget =
  /** Give `url` to the system browser (the link itself, or its forwarded address). */
  | { kind: 'open'; url: string }
  /** The workspace listens on `port` but it is not forwarded: forward it, then ask again with `forwardAsked`. */
  | { kind: 'forward-first'; port: number }
  /** Forwarding `port` was asked and it is still not forwarded: opening the link would reach this computer, not the workspace. */
  | { kind: 'not-forwarded'; port: number };

/** How a program in the workspace names its own machine in a link. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/**
 * Maps `link` through `ports`, the Ports panel lines of the editor's own
 * workspace (never another's: the same port number there is another
 * program). A forwarded port keeps the link's scheme, path, query and
 * hash on its local port of 127.0.0.1; a port the workspace does not
 * list, or a link elsewhere, is opened as it is.
 */
export function linkTarget(link: string, ports: readonly WorkspacePortView[], options: { forwardAsked?: boolean } = {}): LinkTarget {
  const url = parseUrl(link);
  const defaultPort = url ? DEFAULT_PORTS[url.protocol] : undefined;
  if (!url || defaultPort === undefined || !LOOPBACK_HOSTS.has(url.hostname)) return { kind: 'open', url: link };
  const port = url.port ? Number(url.port) : defaultPort;
  const line = ports.find((p) => p.port === port);
  if (line?.localPort !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(line.localPort);
    return { kind: 'open', url: url.href };
  }
  if (line?.listening) return options.forwardAsked ? { kind: 'not-forwarded', port } : { kind: 'forward-first', port };
  return { kind: 'open', url: link };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
