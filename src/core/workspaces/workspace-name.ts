import { PortholeError } from '../errors.js';

/**
 * Checks on what a user types for a workspace, run before any cloud call so
 * a mistake costs nothing and the message can point at the exact character.
 *
 * Lightsail allows instance names of 2–255 letters, numbers, periods, dashes
 * and underscores, starting with a letter or number. Porthole accepts a
 * subset, because the name is also a hostname label: the embedded window's
 * origin and the ssh Host alias of the tunnel are built from it.
 * - at most 63 characters: the longest DNS label;
 * - no periods or underscores: a period splits a hostname into labels, and
 *   an underscore is not allowed in one;
 * - lowercase only: hostnames and ssh Host matching ignore case, so "Demo"
 *   and "demo" would be one tunnel for two Lightsail instances;
 * - no dash at the end: a DNS label cannot end with one.
 */
export const WORKSPACE_NAME_MIN_LENGTH = 2;
export const WORKSPACE_NAME_MAX_LENGTH = 63;
export const WORKSPACE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;

export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
export const AVAILABILITY_ZONE_PATTERN = /^([a-z]{2}(?:-[a-z]+)+-\d{1,2})[a-z]$/;

/** Lightsail bundle ids end in a generation, like `small_3_0`. */
export const BUNDLE_ID_PATTERN = /^[a-z0-9]+(?:_[a-z0-9]+)*_\d+_\d+$/;
const BUNDLE_ID_WITHOUT_VERSION = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

export const BLUEPRINT_ID_PATTERN = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
const BLUEPRINT_ID_MAX_LENGTH = 64;

/**
 * The idle agent learns of activity from code-server's heartbeat, which is
 * written at most once a minute; a timeout of a few minutes would stop a
 * workspace someone is reading in. Past a day, never stopping says it better.
 */
export const IDLE_TIMEOUT_MIN_MINUTES = 5;
export const IDLE_TIMEOUT_MAX_MINUTES = 24 * 60;
/** An idle timeout of 0 means the workspace never stops by itself. */
export const IDLE_TIMEOUT_NEVER = 0;

const NAME_CHARACTERS = 'lowercase letters, numbers and dashes';

export function validateWorkspaceName(name: string): PortholeError | undefined {
  const shown = `Workspace name ${quote(name)}`;
  const fix = () => `Use ${NAME_CHARACTERS}, for example "${suggestWorkspaceName(name)}".`;
  if (name.length === 0) {
    return usage(`No workspace name given.`, `Use ${NAME_CHARACTERS}, for example "my-workspace".`);
  }
  const characters = Array.from(name);
  for (const [index, character] of characters.entries()) {
    const where = `at position ${index + 1}`;
    if (index === 0 && character === '-') {
      return usage(`${shown} starts with a dash.`, `Start it with a letter or number, for example "${suggestWorkspaceName(name)}".`);
    }
    if (/^[a-z0-9-]$/.test(character)) continue;
    if (/^[A-Z]$/.test(character)) {
      return usage(
        `${shown} has an uppercase "${character}" ${where}; workspace names are lowercase because they are also hostnames, which ignore case.`,
        fix(),
      );
    }
    if (character === '.' || character === '_') {
      return usage(
        `${shown} has "${character}" ${where}; Lightsail allows it, but the name is also a hostname, where it is not allowed.`,
        fix(),
      );
    }
    return usage(`${shown} has ${describeCharacter(character)} ${where}.`, fix());
  }
  if (name.endsWith('-')) {
    return usage(`${shown} ends with a dash.`, `End it with a letter or number, for example "${suggestWorkspaceName(name)}".`);
  }
  if (characters.length < WORKSPACE_NAME_MIN_LENGTH) {
    return usage(`${shown} is 1 character long; names need at least ${WORKSPACE_NAME_MIN_LENGTH}.`, fix());
  }
  if (characters.length > WORKSPACE_NAME_MAX_LENGTH) {
    return usage(
      `${shown} is ${characters.length} characters long; from position ${WORKSPACE_NAME_MAX_LENGTH + 1} on it is past the ${WORKSPACE_NAME_MAX_LENGTH}-character limit of a hostname.`,
      `Shorten it, for example to "${suggestWorkspaceName(name)}".`,
    );
  }
  return undefined;
}

/** A valid workspace name as close to `input` as possible, offered in error messages and the create dialog. */
export function suggestWorkspaceName(input: string): string {
  const cleaned = input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, WORKSPACE_NAME_MAX_LENGTH)
    .replace(/-+$/, '');
  if (cleaned.length === 0) return 'my-workspace';
  if (cleaned.length < WORKSPACE_NAME_MIN_LENGTH) return `${cleaned}-workspace`;
  return cleaned;
}

export function validateRegion(region: string): PortholeError | undefined {
  const example = 'Region ids look like "us-east-1" or "eu-west-2".';
  if (region.length === 0) return usage('No region given.', example);
  if (REGION_PATTERN.test(region)) return undefined;
  const shown = `Region ${quote(region)}`;
  const lower = region.toLowerCase();
  if (REGION_PATTERN.test(lower)) return usage(`${shown} has uppercase letters.`, `Use "${lower}".`);
  const zone = AVAILABILITY_ZONE_PATTERN.exec(lower);
  if (zone) return usage(`${shown} is an availability zone, not a region.`, `Use "${zone[1]}".`);
  const bad = firstCharacterOutside(region, /^[a-z0-9-]$/);
  if (bad) return usage(`${shown} has ${describeCharacter(bad.character)} at position ${bad.position}.`, example);
  return usage(`${shown} is not a region id.`, example);
}

export function validateBundleId(bundleId: string): PortholeError | undefined {
  const example = 'Bundle ids look like "small_3_0": a size, then a generation.';
  if (bundleId.length === 0) return usage('No bundle given.', example);
  if (BUNDLE_ID_PATTERN.test(bundleId)) return undefined;
  const shown = `Bundle ${quote(bundleId)}`;
  const lower = bundleId.toLowerCase();
  if (BUNDLE_ID_PATTERN.test(lower)) return usage(`${shown} has uppercase letters.`, `Use "${lower}".`);
  const bad = firstCharacterOutside(bundleId, /^[a-z0-9_]$/);
  if (bad) return usage(`${shown} has ${describeCharacter(bad.character)} at position ${bad.position}.`, example);
  if (BUNDLE_ID_WITHOUT_VERSION.test(bundleId)) {
    return usage(`${shown} has no generation at the end.`, `Bundle ids end in one, for example "${bundleId}_3_0".`);
  }
  return usage(`${shown} is not a bundle id.`, example);
}

export function validateBlueprintId(blueprintId: string): PortholeError | undefined {
  const example = 'Blueprint ids look like "ubuntu_24_04" or "debian_12".';
  if (blueprintId.length === 0) return usage('No blueprint given.', example);
  const shown = `Blueprint ${quote(blueprintId)}`;
  if (blueprintId.length > BLUEPRINT_ID_MAX_LENGTH) {
    return usage(`${shown} is ${blueprintId.length} characters long; blueprint ids are at most ${BLUEPRINT_ID_MAX_LENGTH}.`, example);
  }
  if (BLUEPRINT_ID_PATTERN.test(blueprintId)) return undefined;
  const lower = blueprintId.toLowerCase();
  if (BLUEPRINT_ID_PATTERN.test(lower)) return usage(`${shown} has uppercase letters.`, `Use "${lower}".`);
  const bad = firstCharacterOutside(blueprintId, /^[a-z0-9_-]$/);
  if (bad) return usage(`${shown} has ${describeCharacter(bad.character)} at position ${bad.position}.`, example);
  return usage(`${shown} starts or ends with a separator, or has two in a row.`, example);
}

export function validateIdleTimeoutMinutes(minutes: number): PortholeError | undefined {
  const fix = `Use a whole number of minutes from ${IDLE_TIMEOUT_MIN_MINUTES} to ${IDLE_TIMEOUT_MAX_MINUTES}, or ${IDLE_TIMEOUT_NEVER} to never stop it.`;
  if (!Number.isInteger(minutes)) return usage(`Idle timeout ${String(minutes)} is not a whole number of minutes.`, fix);
  if (minutes === IDLE_TIMEOUT_NEVER) return undefined;
  if (minutes < IDLE_TIMEOUT_MIN_MINUTES) {
    return usage(`Idle timeout ${minutes} minutes is too short to notice someone reading.`, fix);
  }
  if (minutes > IDLE_TIMEOUT_MAX_MINUTES) return usage(`Idle timeout ${minutes} minutes is longer than a day.`, fix);
  return undefined;
}

/** Declared ports (from layers and porthole.json): TCP ports, each once. */
export function validateDeclaredPorts(ports: readonly number[]): PortholeError | undefined {
  const bad = ports.find((port) => !Number.isInteger(port) || port < 1 || port > 65_535);
  if (bad !== undefined) return usage(`Declared port ${String(bad)} is not a TCP port.`, 'Use whole numbers from 1 to 65535, such as 3000.');
  const twice = ports.find((port, index) => ports.indexOf(port) !== index);
  if (twice !== undefined) return usage(`Port ${twice} is declared twice.`, 'Declare each port once.');
  return undefined;
}

/** Throws the problem, if any: for callers that have nothing better to do with it. */
export function ensureValid(problem: PortholeError | undefined): void {
  if (problem) throw problem;
}

function usage(message: string, fix: string): PortholeError {
  return new PortholeError('usage', message, { fix });
}

/** Positions count characters as a person does (code points, from 1), not UTF-16 units. */
function firstCharacterOutside(text: string, allowed: RegExp): { character: string; position: number } | undefined {
  const characters = Array.from(text);
  const index = characters.findIndex((character) => !allowed.test(character));
  const character = characters[index];
  return character === undefined ? undefined : { character, position: index + 1 };
}

function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (/^[\p{C}\p{Z}]$/u.test(character)) return `an invisible character (${codePoint(character)})`;
  return `"${character}" (${codePoint(character)})`;
}

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Long input is cut in messages: the position already says where the problem is. */
function quote(text: string): string {
  const characters = Array.from(text);
  const shown = characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : text;
  return JSON.stringify(shown);
}
