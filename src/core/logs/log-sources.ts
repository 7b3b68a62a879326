import { PortholeError } from '../errors.js';
import type { LogSource } from '../../shared/workspace-log.js';
import { STATE_DIR } from '../provision/script-prelude.js';

export type { LogSource };

/** The logs a workspace keeps, in the order they are listed. */
export const LOG_SOURCES: readonly LogSource[] = ['provision', 'code-server', 'idle', 'system'];

/**
 * Where each log lives on the box, in the launch script's state folder
 * (which the sandbox moves with PORTHOLE_STATE_DIR): the launch script's own
 * step log, and what systemd appends for code-server and the idle agent
 * (their units' StandardOutput). The system log is the journal, or the
 * syslog file where there is no systemd (PORTHOLE_SYSLOG names it).
 */
export const LOG_FILES: Readonly<Record<Exclude<LogSource, 'system'>, string>> = {
  provision: 'launch.log',
  'code-server': 'code-server.log',
  idle: 'idle.log',
};

export const CODE_SERVER_LOG_PATH = `${STATE_DIR}/${LOG_FILES['code-server']}`;
export const IDLE_LOG_PATH = `${STATE_DIR}/${LOG_FILES.idle}`;

/** What to read: how far back, and whether to keep reading as lines are written. */
export interface LogRead {
  follow: boolean;
  /** The last this many lines of each source; ignored when `since` is given. */
  lines?: number | 'all';
  since?: Date;
}

/** Printed first by every read, once ssh has logged in: the key files may go then. */
export const LOG_READ_STARTED = 'porthole-logs: reading';

/**
 * The plain sh command that prints one source on the box. A source that does
 * not exist yet prints nothing (or, when following, waits for it).
 */
export function logReadCommand(source: LogSource, read: LogRead): string {
  const count = read.since !== undefined || read.lines === 'all' ? '+1' : String(read.lines ?? DEFAULT_LINES);
  const tail = (file: string) => (read.follow ? `exec tail -n ${count} -F "${file}" 2>/dev/null` : `[ -r "${file}" ] && exec tail -n ${count} "${file}"; exit 0`);
  const start = `echo '${LOG_READ_STARTED}'`;
  if (source !== 'system') return [start, `d="\${PORTHOLE_STATE_DIR:-${STATE_DIR}}"`, tail(`$d/${LOG_FILES[source]}`)].join('; ');
  const window = read.since !== undefined ? `--since @${Math.floor(read.since.getTime() / 1000)}` : read.lines === 'all' ? '' : `-n ${count}`;
  const journal = ['exec journalctl --no-pager -q -o short-iso', window, read.follow ? '-f' : ''].filter(Boolean).join(' ');
  return [
    start,
    `if [ -z "\${PORTHOLE_SYSLOG:-}" ] && [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then ${journal}; fi`,
    'f="${PORTHOLE_SYSLOG:-/var/log/syslog}"',
    '[ -e "$f" ] || [ ! -e /var/log/messages ] || f=/var/log/messages',
    tail('$f'),
  ].join('; ');
}

export const DEFAULT_LINES = 200;

/** `--source provision,idle`: the sources named, or every one. */
export function parseLogSources(text: string | undefined): LogSource[] {
  if (text === undefined) return [...LOG_SOURCES];
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(LOG_SOURCES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new PortholeError('usage', `--source "${text}" names no log Porthole knows${unknown.length ? ` (${unknown.join(', ')})` : ''}.`, {
      fix: `Use one or more of ${LOG_SOURCES.join(', ')}, separated by commas.`,
    });
  }
  return [...new Set(names)] as LogSource[];
}

/** `--lines 50` or `--lines all`. */
export function parseLineCount(text: string): number | 'all' {
  if (text === 'all') return 'all';
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) throw new PortholeError('usage', `--lines "${text}" is not a number of lines.`, { fix: 'Use a whole number such as --lines 500, or --lines all.' });
  return count;
}
