import { invalidInput } from './lightsail-error.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Lightsail's rule for resource names, with a message that says which rule
 * the name broke, since "invalid name" alone leaves the user guessing.
 */
export function checkResourceName(kind: string, name: string): void {
  if (name.length < 2 || name.length > 255) {
    throw invalidInput(`The ${kind} name '${name}' must be between 2 and 255 characters long; it has ${name.length}.`);
  }
  if (!/^[a-zA-Z0-9]/.test(name)) {
    throw invalidInput(`The ${kind} name '${name}' must start with a letter or a number.`);
  }
  if (!NAME.test(name)) {
    const bad = [...new Set(name.replace(/[a-zA-Z0-9_.-]/g, ''))].join('');
    throw invalidInput(
      `The ${kind} name '${name}' contains characters that are not allowed (${JSON.stringify(bad)}). ` +
        `Use only letters, numbers, periods, underscores and hyphens.`,
    );
  }
}
