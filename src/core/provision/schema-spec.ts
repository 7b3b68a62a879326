/**
 * A small schema language: one description of a JSON document drives both
 * the validator (which reports every problem with its JSON path and a fix)
 * and the published JSON Schema editors use for completion. Only the shapes
 * layer files need are here.
 */
export type SchemaSpec = StringSpec | IntegerSpec | ArraySpec | ObjectSpec | MapSpec | AnyObjectSpec;

interface Described {
  description: string;
}

export interface StringSpec extends Described {
  type: 'string';
  pattern?: RegExp;
  maxLength?: number;
  /** What is wrong when the pattern does not match, e.g. "is not an Open VSX extension id". */
  patternProblem?: string;
  patternFix?: string;
  examples?: string[];
}

export interface IntegerSpec extends Described {
  type: 'integer';
  minimum: number;
  maximum: number;
}

export interface ArraySpec extends Described {
  type: 'array';
  items: SchemaSpec;
  uniqueItems?: boolean;
}

export interface ObjectSpec extends Described {
  type: 'object';
  properties: Record<string, SchemaSpec>;
  required?: string[];
}

/** An object whose keys are free (matching keyPattern) and whose values share one spec. */
export interface MapSpec extends Described {
  type: 'map';
  keyPattern: RegExp;
  keyProblem: string;
  values: SchemaSpec;
}

/** Any JSON object, passed through as is (code-server's settings.json). */
export interface AnyObjectSpec extends Described {
  type: 'any-object';
}

export interface SpecProblem {
  /** JSON path of the offending value, `$` for the document. */
  path: string;
  message: string;
  fix: string;
}

export function validateAgainst(spec: SchemaSpec, value: unknown, path = '$'): SpecProblem[] {
  switch (spec.type) {
    case 'string':
      return validateString(spec, value, path);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [{ ...typeProblem(path, 'a whole number', value), fix: `Write a whole number from ${spec.minimum} to ${spec.maximum} here.` }];
      if (value < spec.minimum || value > spec.maximum) {
        return [{ path, message: `${value} is out of range.`, fix: `Use a whole number from ${spec.minimum} to ${spec.maximum}.` }];
      }
      return [];
    case 'array': {
      if (!Array.isArray(value)) return [typeProblem(path, 'a list', value)];
      const problems = value.flatMap((item, index) => validateAgainst(spec.items, item, `${path}[${index}]`));
      if (spec.uniqueItems) {
        const seen = new Set<string>();
        value.forEach((item, index) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) problems.push({ path: `${path}[${index}]`, message: `${key} is listed twice.`, fix: 'Remove the repeated entry.' });
          seen.add(key);
        });
      }
      return problems;
    }
    case 'object':
      return validateObject(spec, value, path);
    case 'map': {
      if (!isPlainObject(value)) return [typeProblem(path, 'an object', value)];
      return Object.entries(value).flatMap(([key, item]) => {
        const itemPath = childPath(path, key);
        if (!spec.keyPattern.test(key)) return [{ path: itemPath, message: `"${key}" ${spec.keyProblem}.`, fix: `Rename it to match ${spec.keyPattern.source}.` }];
        return validateAgainst(spec.values, item, itemPath);
      });
    }
    case 'any-object':
      return isPlainObject(value) ? [] : [typeProblem(path, 'an object', value)];
  }
}

function validateString(spec: StringSpec, value: unknown, path: string): SpecProblem[] {
  if (typeof value !== 'string') return [typeProblem(path, 'a string', value)];
  if (spec.maxLength !== undefined && value.length > spec.maxLength) {
    return [{ path, message: `The text is ${value.length} characters long.`, fix: `Keep it to ${spec.maxLength} characters.` }];
  }
  if (spec.pattern && !spec.pattern.test(value)) {
    return [
      {
        path,
        message: `${JSON.stringify(value)} ${spec.patternProblem ?? `does not match ${spec.pattern.source}`}.`,
        fix: spec.patternFix ?? `Use a value matching ${spec.pattern.source}${spec.examples ? `, e.g. ${spec.examples.map((e) => JSON.stringify(e)).join(' or ')}` : ''}.`,
      },
    ];
  }
  return [];
}

function validateObject(spec: ObjectSpec, value: unknown, path: string): SpecProblem[] {
  if (!isPlainObject(value)) return [typeProblem(path, 'an object', value)];
  const problems: SpecProblem[] = [];
  for (const key of spec.required ?? []) {
    if (!(key in value)) problems.push({ path: childPath(path, key), message: `The field "${key}" is missing.`, fix: `Add "${key}": ${spec.properties[key]?.description ?? ''}`.trimEnd() });
  }
  const known = Object.keys(spec.properties);
  for (const [key, item] of Object.entries(value)) {
    const property = spec.properties[key];
    if (property) {
      problems.push(...validateAgainst(property, item, childPath(path, key)));
      continue;
    }
    const near = closest(key, known);
    problems.push({
      path: childPath(path, key),
      message: `"${key}" is not a field here.`,
      fix: near ? `Did you mean "${near}"? Otherwise remove it.` : `Remove it; the fields are ${known.map((k) => `"${k}"`).join(', ')}.`,
    });
  }
  return problems;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function typeProblem(path: string, expected: string, value: unknown): SpecProblem {
  return { path, message: `Expected ${expected}, found ${describe(value)}.`, fix: `Write ${expected} here.` };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known name within two edits of a misspelt one, for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The JSON Schema (draft 2020-12) form of a spec, for editors. */
export function toJsonSchema(spec: SchemaSpec): Record<string, unknown> {
  const base = { description: spec.description };
  switch (spec.type) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(spec.pattern ? { pattern: spec.pattern.source } : {}),
        ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
        ...(spec.examples ? { examples: spec.examples } : {}),
      };
    case 'integer':
      return { ...base, type: 'integer', minimum: spec.minimum, maximum: spec.maximum };
    case 'array':
      return { ...base, type: 'array', items: toJsonSchema(spec.items), ...(spec.uniqueItems ? { uniqueItems: true } : {}) };
    case 'object':
      return {
        ...base,
        type: 'object',
        properties: Object.fromEntries(Object.entries(spec.properties).map(([key, property]) => [key, toJsonSchema(property)])),
        ...(spec.required ? { required: spec.required } : {}),
        additionalProperties: false,
      };
    case 'map':
      return { ...base, type: 'object', propertyNames: { pattern: spec.keyPattern.source }, additionalProperties: toJsonSchema(spec.values) };
    case 'any-object':
      return { ...base, type: 'object' };
  }
}
