import { invalidInput } from './lightsail-error.js';

/** The JSON body of a call, read member by member with the service's own complaints. */
export type Input = Record<string, unknown>;

export function requiredString(input: Input, member: string): string {
  const value = input[member];
  if (value === undefined || value === null || value === '') {
    throw invalidInput(`Missing required parameter: ${member}.`);
  }
  if (typeof value !== 'string') throw invalidInput(`${member} must be a string.`);
  return value;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInput(`${member} must be a string.`);
  return value;
}

export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidInput(`${member} must be true or false.`);
  return value;
}

export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInput(`${member} must be a number.`);
  return value;
}

export function requiredNumber(input: Input, member: string): number {
  const value = optionalNumber(input, member);
  if (value === undefined) throw invalidInput(`Missing required parameter: ${member}.`);
  return value;
}

export function stringList(input: Input, member: string, required: boolean): string[] {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw invalidInput(`Missing required parameter: ${member}.`);
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalidInput(`${member} must be a list of strings.`);
  }
  if (required && value.length === 0) throw invalidInput(`${member} must name at least one item.`);
  return value as string[];
}

export function objectList(input: Input, member: string, required: boolean): Input[] {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw invalidInput(`Missing required parameter: ${member}.`);
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v))) {
    throw invalidInput(`${member} must be a list of objects.`);
  }
  return value as Input[];
}

export function requiredObject(input: Input, member: string): Input {
  const value = input[member];
  if (value === undefined || value === null) throw invalidInput(`Missing required parameter: ${member}.`);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`${member} must be an object.`);
  return value as Input;
}

/** Timestamps arrive as epoch seconds; answers epoch milliseconds. */
export function optionalTimestamp(input: Input, member: string): number | undefined {
  const seconds = optionalNumber(input, member);
  return seconds === undefined ? undefined : seconds * 1000;
}

/** The service sends times as epoch seconds with fractions. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
