import { randomInt } from 'node:crypto';
import { hash } from '@node-rs/argon2';

/**
 * Letters and digits without the look-alikes (0/O/o, 1/l/I), so a password
 * read off the screen or pasted through a shell or YAML needs no quoting
 * and no second look. 56 symbols, 24 of them: about 139 bits.
 */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const PASSWORD_LENGTH = 24;

export function generatePassword(): string {
  let password = '';
  // randomInt draws without modulo bias, so every symbol is equally likely.
  for (let index = 0; index < PASSWORD_LENGTH; index++) password += PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length));
  return password;
}

/**
 * The argon2id PHC string code-server's `hashed-password` takes, so only the
 * hash ever leaves this machine. Costs are OWASP's argon2id minimum (19 MiB,
 * 2 passes): code-server verifies it on every login on a small instance.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}
