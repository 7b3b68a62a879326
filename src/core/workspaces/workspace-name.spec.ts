import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  suggestWorkspaceName,
  validateBlueprintId,
  validateBundleId,
  validateIdleTimeoutMinutes,
  validateRegion,
  validateWorkspaceName,
  WORKSPACE_NAME_MAX_LENGTH,
} from './workspace-name.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const alnum = fc.constantFrom(...(LOWER + DIGITS));
const inner = fc.constantFrom(...(LOWER + DIGITS + '-'));

const validName = fc
  .tuple(alnum, fc.array(inner, { maxLength: WORKSPACE_NAME_MAX_LENGTH - 2 }), alnum)
  .map(([first, middle, last]) => first + middle.join('') + last);

/** Any single code point Porthole refuses in a name. */
const badCharacter = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((character) => !/^[a-z0-9-]$/.test(character));

/** What Lightsail itself requires of an instance name. */
function satisfiesLightsailRules(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(name);
}

function positionOf(message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

describe('validateWorkspaceName', () => {
  it('accepts only names that satisfy Lightsail and hostname rules', () => {
    fc.assert(
      fc.property(fc.oneof(validName, fc.string({ unit: 'binary', maxLength: 80 })), (name) => {
        if (validateWorkspaceName(name) !== undefined) return;
        expect(satisfiesLightsailRules(name)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every name of lowercase letters, numbers and inner dashes up to 63 characters', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(validateWorkspaceName(name)).toBeUndefined();
      }),
    );
  });

  it('names the bad character and its position', () => {
    fc.assert(
      fc.property(validName, badCharacter, fc.nat(), (name, bad, at) => {
        const characters = Array.from(name);
        const index = at % (characters.length + 1);
        characters.splice(index, 0, bad);
        const problem = validateWorkspaceName(characters.join(''));
        expect(problem?.kind).toBe('usage');
        const message = problem?.message ?? '';
        expect(positionOf(message)).toBe(index + 1);
        const hex = `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
        const named = message.includes(`"${bad}"`) || message.includes(hex) || /a (space|tab)/.test(message);
        expect(named).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('says what to use instead, and the suggestion is itself valid', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (input) => {
        expect(validateWorkspaceName(suggestWorkspaceName(input))).toBeUndefined();
        const problem = validateWorkspaceName(input);
        if (problem) expect(problem.fix).toMatch(/letters|Shorten|Start|End/);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a valid name as it is when asked for a suggestion', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(suggestWorkspaceName(name)).toBe(name);
      }),
    );
  });

  it('explains the common mistakes in the words of the example', () => {
    expect(validateWorkspaceName('my box')?.message).toBe(
      'Workspace name "my box" has a space at position 3. Use lowercase letters, numbers and dashes, for example "my-box".',
    );
    expect(validateWorkspaceName('My-box')?.message).toContain('uppercase "M" at position 1');
    expect(validateWorkspaceName('my_box')?.message).toContain('"_" at position 3; Lightsail allows it');
    expect(validateWorkspaceName('café')?.message).toContain('"é" (U+00E9) at position 4');
    expect(validateWorkspaceName('café')?.fix).toContain('"cafe"');
    expect(validateWorkspaceName('-box')?.message).toContain('starts with a dash');
    expect(validateWorkspaceName('box-')?.message).toContain('ends with a dash');
    expect(validateWorkspaceName('b')?.message).toContain('at least 2');
    expect(validateWorkspaceName('')?.message).toContain('No workspace name');
    const long = 'a'.repeat(64);
    expect(validateWorkspaceName(long)?.message).toContain('from position 64');
    expect(validateWorkspaceName('tab\there')?.message).toContain('a tab at position 4');
  });
});

describe('validateRegion', () => {
  it('accepts region ids', () => {
    for (const region of ['us-east-1', 'eu-west-2', 'ap-northeast-2', 'ca-central-1', 'eu-central-1', 'us-gov-west-1']) {
      expect(validateRegion(region)).toBeUndefined();
    }
  });

  it('points at zones, case and stray characters', () => {
    expect(validateRegion('us-east-1a')?.message).toContain('availability zone, not a region. Use "us-east-1".');
    expect(validateRegion('US-EAST-1')?.message).toContain('Use "us-east-1"');
    expect(validateRegion('us east 1')?.message).toContain('a space at position 3');
    expect(validateRegion('virginia')?.message).toContain('is not a region id');
    expect(validateRegion('')?.kind).toBe('usage');
  });
});

describe('validateBundleId', () => {
  it('accepts bundle ids of any size and generation', () => {
    for (const bundle of ['nano_3_0', 'small_3_0', '2xlarge_3_0', 'medium_win_3_0', 'small_ipv6_3_0', 'micro_2_0']) {
      expect(validateBundleId(bundle)).toBeUndefined();
    }
  });

  it('says what is missing', () => {
    expect(validateBundleId('small')?.message).toContain('no generation at the end. Bundle ids end in one, for example "small_3_0"');
    expect(validateBundleId('Small_3_0')?.message).toContain('Use "small_3_0"');
    expect(validateBundleId('small-3-0')?.message).toContain('"-" (U+002D) at position 6');
  });
});

describe('validateBlueprintId', () => {
  it('accepts blueprint ids', () => {
    for (const blueprint of ['ubuntu_24_04', 'debian_12', 'amazon_linux_2023', 'centos_stream_9', 'nodejs']) {
      expect(validateBlueprintId(blueprint)).toBeUndefined();
    }
  });

  it('refuses malformed ones', () => {
    expect(validateBlueprintId('ubuntu 24')?.message).toContain('a space at position 7');
    expect(validateBlueprintId('Ubuntu_24_04')?.message).toContain('Use "ubuntu_24_04"');
    expect(validateBlueprintId('ubuntu__24')?.message).toContain('two in a row');
    expect(validateBlueprintId('')?.kind).toBe('usage');
  });
});

describe('validateIdleTimeoutMinutes', () => {
  it('accepts 0 (never) and whole minutes from 5 to a day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 1440 }), (minutes) => {
        expect(validateIdleTimeoutMinutes(minutes)).toBeUndefined();
      }),
    );
    expect(validateIdleTimeoutMinutes(0)).toBeUndefined();
  });

  it('refuses fractions, negatives, too short and too long', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -10_000, max: 4 }).filter((minutes) => minutes !== 0),
          fc.integer({ min: 1441, max: 1_000_000 }),
          fc.double({ noInteger: true }),
        ),
        (minutes) => {
          const problem = validateIdleTimeoutMinutes(minutes);
          expect(problem?.kind).toBe('usage');
          expect(problem?.fix).toContain('or 0 to never stop it');
        },
      ),
    );
  });
});
