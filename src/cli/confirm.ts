import { createInterface } from 'node:readline/promises';
import { PortholeError } from '../core/errors.js';
import type { CliIo } from './cli-io.js';

/**
 * Asks before destroying anything. Without a terminal there is nobody to
 * ask, so the caller must have said --yes: guessing "yes" would delete
 * things a script never meant to.
 */
export async function confirmDestructive(io: CliIo, question: string, assumeYes: boolean): Promise<void> {
  if (assumeYes) return;
  if (!io.interactive) {
    throw new PortholeError('usage', `${question} Porthole asks before destroying anything, and there is no terminal to ask on.`, {
      fix: 'Add --yes to confirm.',
    });
  }
  const rl = createInterface({ input: process.stdin, output: io.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new PortholeError('usage', 'Cancelled; nothing was changed.');
  } finally {
    rl.close();
  }
}
