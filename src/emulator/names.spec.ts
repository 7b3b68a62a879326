import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkResourceName } from './names.js';

describe('checkResourceName', () => {
  it('accepts names of letters, digits, dots, dashes and underscores that start alphanumeric', () => {
    const alnum = fc.constantFrom(...'abcXYZ019');
    const rest = fc.constantFrom(...'abcXYZ019._-');
    fc.assert(
      fc.property(alnum, fc.array(rest, { minLength: 1, maxLength: 60 }), (first, tail) => {
        expect(() => checkResourceName('instance', first + tail.join(''))).not.toThrow();
      }),
    );
  });

  it('says which rule a name breaks', () => {
    expect(() => checkResourceName('instance', 'a')).toThrow(/between 2 and 255 characters long; it has 1/);
    expect(() => checkResourceName('instance', '.hidden')).toThrow(/must start with a letter or a number/);
    expect(() => checkResourceName('static IP', 'my ip!')).toThrow(/\(" !"\)/);
  });
});
