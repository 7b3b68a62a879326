import { PortholeError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 10m`, `90s`, `2h`, `1d`, or `1h30m`: the length in milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.trim().matchAll(/(\d+)\s*([smhd])/g)];
  const whole = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || whole.replace(/\s/g, '') !== text.replace(/\s/g, '')) {
    throw new PortholeError('usage', `"${text}" is not a duration.`, { fix: 'Use a number with s, m, h or d, for example --since 10m, --since 2h or --since 1h30m.' });
  }
  return parts.reduce((total, part) => total + Number(part[1]) * UNITS[part[2]!]!, 0);
}

const ISO_START = /^\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?/;
const SYSLOG_START = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}) /;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * When a log line was written, from the time it starts with: ISO 8601 (the
 * launch log, the idle agent, code-server's `[...]`, the journal's
 * short-iso, rsyslog's RFC 3339) or the classic syslog `Dec  4 05:17:34`
 * (this year). Undefined for a line that carries none (a stack trace's
 * continuation).
 */
export function lineTime(line: string, now: Date = new Date()): Date | undefined {
  const iso = ISO_START.exec(line);
  if (iso) {
    const zone = iso[3] === undefined ? 'Z' : iso[3].length === 5 ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}` : iso[3];
    const at = new Date(`${iso[1]}T${iso[2]}${zone}`);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  const syslog = SYSLOG_START.exec(line);
  if (syslog) {
    const month = MONTHS.indexOf(syslog[1]!);
    if (month < 0) return undefined;
    const at = new Date(`${now.getUTCFullYear()}-${String(month + 1).padStart(2, '0')}-${syslog[2]!.padStart(2, '0')}T${syslog[3]}Z`);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  return undefined;
}
