import { PortholeError } from '../core/errors.js';

/** `--layers developer,devops`: the names in order, at least one. */
/** `--aws-profile a,b`: the desktop profiles a workspace's AWS CLI signs in with. */
export function parseProfileList(text: string): string[] {
  const names = splitList(text);
  if (names.length === 0) throw new PortholeError('usage', `--aws-profile "${text}" names no profile.`, { fix: 'Give AWS profile names separated by commas, e.g. --aws-profile dev,readonly.' });
  return names;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

export function parseLayerList(text: string): string[] {
  const names = splitList(text);
  if (names.length === 0) throw new PortholeError('usage', `--layers "${text}" names no layer.`, { fix: 'Give layer names separated by commas, e.g. --layers developer,devops.' });
  return names;
}

/** `--idle-timeout 45`: whole minutes, 0 for never. */
export function parseMinutes(text: string): number {
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 0) {
    throw new PortholeError('usage', `--idle-timeout "${text}" is not a whole number of minutes.`, { fix: 'Use for example --idle-timeout 60, or 0 to never stop.' });
  }
  return minutes;
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--older-than 1h`: a whole number with s, m, h or d; a bare 0 for no age limit. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (text.trim() === '0') return 0;
  if (!match) {
    throw new PortholeError('usage', `--older-than "${text}" is not a duration.`, { fix: 'Use a whole number with s, m, h or d, e.g. --older-than 1h, or 0 for everything.' });
  }
  return Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
}
