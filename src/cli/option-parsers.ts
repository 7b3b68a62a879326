import { PortholeError } from '../core/errors.js';

/** `--layers developer,devops`: the names in order, at least one. */
export function parseLayerList(text: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
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
