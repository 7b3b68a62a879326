import type { ListeningPort } from '../../shared/ports.js';

/** What a listener is, before it is decided whether it belongs to the workspace's own programs. */
export interface Listener {
  port: number;
  /** The bound address as the instance printed it (`0.0.0.0`, `127.0.0.1`, `[::]`, `*`…). */
  address: string;
  process?: string;
  pid?: number;
}

/** The workspace's own services: nobody wants them forwarded as dev servers. */
export interface PortExclusions {
  ports: readonly number[];
  processes: readonly string[];
}

/** sshd, code-server and the idle agent by name; code-server also shows as `node`, so its port is left out too (the access point's). */
export const SERVICE_PROCESSES: readonly string[] = ['sshd', 'code-server', 'idle-agent'];

const SS_LINE = /^LISTEN\s+\d+\s+\d+\s+(\S+):(\d+)\s+\S+(?:\s+users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+))?/;
const PROC_LINE = /^\s*\d+:\s+([0-9A-F]+):([0-9A-F]{4})\s+[0-9A-F]+:[0-9A-F]{4}\s+0A\s/i;

/**
 * The listeners in what the instance printed: `ss -ltnpH` lines (with the
 * process where ss may tell), or the lines of /proc/net/tcp and tcp6 where
 * ss is missing. Lines of neither kind (headers, other states) are skipped.
 */
export function parseListeners(lines: readonly string[]): Listener[] {
  const listeners: Listener[] = [];
  for (const line of lines) {
    const ss = SS_LINE.exec(line);
    if (ss) {
      listeners.push({ address: ss[1]!, port: Number(ss[2]), ...(ss[3] !== undefined ? { process: ss[3], pid: Number(ss[4]) } : {}) });
      continue;
    }
    const proc = PROC_LINE.exec(line);
    if (proc) listeners.push({ address: procAddress(proc[1]!), port: parseInt(proc[2]!, 16) });
  }
  return listeners;
}

/** /proc/net/tcp holds addresses as little-endian hex words: 0100007F is 127.0.0.1. */
function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((pair) => parseInt(pair, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.every((b) => b === 0)) return '[::]';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return '[::1]';
  // An IPv4-mapped or other IPv6 address: reachable through its IPv4 form when mapped.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return bytes.slice(12).join('.');
  return '[v6]';
}

/** Whether a program bound there answers a forward to the instance's IPv4 loopback. */
function reachableHost(address: string): ListeningPort['host'] | undefined {
  if (address === '[::1]') return '::1';
  if (address === '0.0.0.0' || address === '*' || address === '[::]' || address.startsWith('127.')) return '127.0.0.1';
  return undefined;
}

/**
 * The workspace's own ports from its listeners: without its services; in
 * `scope` only (when the instance says which processes are its own, as a
 * sandbox instance sharing this machine does); one entry per port, sorted.
 * A port bound only to an outside address (not loopback, not everywhere) is
 * left out: a forward to the instance's loopback would not reach it.
 */
export function workspacePorts(listeners: readonly Listener[], exclusions: PortExclusions, scope?: ReadonlySet<number>): ListeningPort[] {
  const byPort = new Map<number, ListeningPort>();
  for (const listener of listeners) {
    if (listener.port < 1 || listener.port > 65_535) continue;
    if (exclusions.ports.includes(listener.port)) continue;
    if (listener.process !== undefined && exclusions.processes.includes(listener.process)) continue;
    if (scope && (listener.pid === undefined || !scope.has(listener.pid))) continue;
    const host = reachableHost(listener.address);
    if (!host) continue;
    const known = byPort.get(listener.port);
    // IPv4 loopback wins when the program listens on both.
    const best: ListeningPort['host'] = known?.host === '127.0.0.1' ? '127.0.0.1' : host;
    const process = known?.process ?? listener.process;
    byPort.set(listener.port, { port: listener.port, host: best, ...(process !== undefined ? { process } : {}) });
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** Prints the instance's TCP listeners: ss where it exists, the kernel's tables otherwise. */
export const LISTENERS_READ = 'ss -ltnpH 2>/dev/null || cat /proc/net/tcp /proc/net/tcp6';

/**
 * Only where the session names a state folder other than the instance's own
 * (a sandbox instance, which shares this machine with everything else):
 * the listening processes started through the instance's sshd, which carry
 * that folder in their environment. A real instance prints nothing here.
 */
export function listenerScopeRead(stateDirVariable: string, header: string): string {
  return (
    `if [ -n "\${${stateDirVariable}:-}" ]; then echo '${header}'; ` +
    `for p in $(ss -ltnpH 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do ` +
    `tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qxF "${stateDirVariable}=$d" && echo "$p"; done; fi`
  );
}
