import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSecretAccount, secretAccount } from './secret-account.js';

const name = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
    fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), { maxLength: 61 }),
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  )
  .map(([first, middle, last]) => first + middle.join('') + last);
const region = fc.constantFrom('us-east-1', 'eu-west-2', 'ap-northeast-2', 'ca-central-1');
const account = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

describe('secretAccount', () => {
  it('reads like account/region/name', () => {
    expect(secretAccount({ account: 'sandbox', region: 'us-east-1', name: 'demo' })).toBe('sandbox/us-east-1/demo');
  });

  it('round-trips every valid workspace, whatever its account is called', () => {
    fc.assert(
      fc.property(account, region, name, (account, region, name) => {
        const workspace = { account, region, name };
        expect(parseSecretAccount(secretAccount(workspace))).toEqual(workspace);
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses a workspace whose name or region could not be read back', () => {
    expect(() => secretAccount({ account: 'sandbox', region: 'us-east-1', name: 'a/b' })).toThrow('"/" (U+002F) at position 2');
    expect(() => secretAccount({ account: 'sandbox', region: 'us/east', name: 'demo' })).toThrow('Region "us/east"');
  });

  it('ignores entries Porthole did not write', () => {
    for (const text of ['', 'demo', 'sandbox/demo', 'a/b/c/d', '/us-east-1/demo', '%E0%A4%A/us-east-1/demo', 'sandbox/us-east-1/My Box']) {
      expect(parseSecretAccount(text)).toBeUndefined();
    }
  });
});
