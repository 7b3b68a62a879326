import { verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, PASSWORD_ALPHABET, PASSWORD_LENGTH } from './password.js';

describe('generatePassword', () => {
  it('has at least 128 bits of strength', () => {
    expect(PASSWORD_LENGTH).toBeGreaterThanOrEqual(24);
    expect(PASSWORD_LENGTH * Math.log2(PASSWORD_ALPHABET.length)).toBeGreaterThanOrEqual(128);
  });

  it('draws only from the alphabet, which has no look-alike characters', () => {
    expect(PASSWORD_ALPHABET).not.toMatch(/[0O1lIo]/);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(PASSWORD_ALPHABET.length);
    for (let round = 0; round < 1_000; round++) {
      const password = generatePassword();
      expect(password).toHaveLength(PASSWORD_LENGTH);
      for (const character of password) expect(PASSWORD_ALPHABET).toContain(character);
    }
  });

  it('never repeats, and uses every symbol of the alphabet', () => {
    const passwords = Array.from({ length: 10_000 }, generatePassword);
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(new Set(passwords.join('')).size).toBe(PASSWORD_ALPHABET.length);
  });
});

describe('hashPassword', () => {
  it('gives an argon2id PHC string that verifies the password and no other', async () => {
    const password = generatePassword();
    const hashed = await hashPassword(password);
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(hashed).not.toBe(password);
    expect(hashed).not.toContain(password);
    expect(await verify(hashed, password)).toBe(true);
    expect(await verify(hashed, generatePassword())).toBe(false);
  });

  it('salts every hash', async () => {
    const password = generatePassword();
    expect(await hashPassword(password)).not.toBe(await hashPassword(password));
  });
});
