import type { ForwardOrigin, ListeningPort } from '../../shared/ports.js';
import { PortholeError } from '../errors.js';

/** Ports in this range are forwarded as soon as they listen, unless the workspace's setting says otherwise. */
export const DEFAULT_AUTO_FORWARD = { from: 3000, to: 9999 } as const;

export interface PortRange {
  from: number;
  to: number;
}

/** What the user chose for one workspace's ports. */
export interface PortPreferences {
  /** Listening ports in this range are forwarded by themselves; null turns that off. */
  autoForward: PortRange | null;
  /** Forwarded whether or not anything listens yet, to `localPort` when given (else the same port). */
  manual: Array<{ port: number; localPort?: number }>;
  /** Ports the user stopped forwarding: left alone until asked for again. */
  stopped: number[];
}

export const DEFAULT_PORT_PREFERENCES: PortPreferences = { autoForward: DEFAULT_AUTO_FORWARD, manual: [], stopped: [] };

/** One forward the workspace should have. */
export interface WantedForward {
  port: number;
  host: ListeningPort['host'];
  origin: ForwardOrigin;
  /** The local port to try first; a free one is taken when it is in use. */
  preferredLocalPort: number;
  process?: string;
}

/**
 * The forwards a workspace should have: what the user asked for, and its
 * listening ports that its layers or porthole.json declare (whatever the
 * range) or that fall in the auto-forward range — each once, the user's own
 * choice first, less the ones the user stopped (an explicit manual forward
 * wins over a stop). A declared port waits until it listens, as an auto one
 * does: a sandbox box shares this computer's loopback, and a forward bound
 * first would take the port its own server is about to open.
 */
export function plannedForwards(listening: readonly ListeningPort[], declared: readonly number[], preferences: PortPreferences): WantedForward[] {
  const byPort = new Map<number, WantedForward>();
  const listed = new Map(listening.map((p) => [p.port, p]));
  const add = (port: number, origin: ForwardOrigin, localPort = port) => {
    if (byPort.has(port)) return;
    const found = listed.get(port);
    byPort.set(port, { port, host: found?.host ?? '127.0.0.1', origin, preferredLocalPort: localPort, ...(found?.process !== undefined ? { process: found.process } : {}) });
  };
  for (const manual of preferences.manual) add(manual.port, 'manual', manual.localPort);
  const stopped = new Set(preferences.stopped);
  for (const port of declared) if (listed.has(port) && !stopped.has(port)) add(port, 'declared');
  const range = preferences.autoForward;
  if (range) for (const p of listening) if (p.port >= range.from && p.port <= range.to && !stopped.has(p.port)) add(p.port, 'auto');
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** A TCP port number as the user typed it: 1-65535, digits only. */
export function parsePort(text: string, what = 'port'): number {
  const trimmed = text.trim();
  const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new PortholeError('usage', `"${text}" is not a ${what} number.`, { fix: `Give a ${what} from 1 to 65535, such as 3000.` });
  }
  return port;
}

/** `3000` (to the same local port) or `3000:8000` (the workspace's 3000 on local 8000). */
export function parseForwardSpec(text: string): { port: number; localPort?: number } {
  const [remote, local, extra] = text.split(':');
  if (remote === undefined || extra !== undefined) {
    throw new PortholeError('usage', `"${text}" is not a port to forward.`, { fix: 'Write PORT or PORT:LOCAL_PORT, such as 3000 or 3000:8000.' });
  }
  const port = parsePort(remote, 'workspace port');
  return local === undefined ? { port } : { port, localPort: parsePort(local, 'local port') };
}

/** `3000-9999`, a single port, or `off`. */
export function parseAutoForward(text: string): PortRange | null {
  if (text.trim() === 'off') return null;
  const [from, to, extra] = text.split('-');
  if (from === undefined || extra !== undefined) {
    throw new PortholeError('usage', `"${text}" is not an auto-forward range.`, { fix: 'Write FROM-TO (such as 3000-9999), one port, or off.' });
  }
  const range = { from: parsePort(from), to: parsePort(to ?? from) };
  if (range.from > range.to) throw new PortholeError('usage', `The range "${text}" ends before it begins.`, { fix: `Write it the other way round: ${range.to}-${range.from}.` });
  return range;
}

export function formatAutoForward(range: PortRange | null): string {
  return range ? (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`) : 'off';
}
