import type { OperationModel, ServiceModel, Shape } from './lightsail-model.js';

/** One way a request or an answer departs from the service model, and where. */
export interface Violation {
  path: string;
  problem: string;
}

/**
 * Errors any AWS JSON 1.1 service may answer from its front door (signing,
 * routing, throttling) before the operation runs; models do not list them.
 */
export const COMMON_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'InternalFailure',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'RequestExpired',
  'SerializationException',
  'ServiceUnavailable',
  'ThrottlingException',
  'UnknownOperationException',
  'UnrecognizedClientException',
]);

/** What every Lightsail exception body carries beside `__type`, though the model marks none required. */
const LIGHTSAIL_ERROR_MEMBERS = ['code', 'docs', 'message', 'tip'];

// Epoch seconds from 2000 to 2100: a value outside is most likely milliseconds.
const EARLIEST_EPOCH_S = 946_684_800;
const LATEST_EPOCH_S = 4_102_444_800;

type Direction = 'input' | 'output';

/**
 * Where the live service is known to go beyond the model at hand: members and
 * enum values added to the model after this copy, or sent despite it.
 */
export interface ModelAllowances {
  /** Members a structure may carry beyond the model's, by shape name. */
  members?: Readonly<Record<string, readonly string[]>>;
  /** Values a string enum may take beyond the model's, by shape name. */
  enumValues?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Checks JSON bodies against a botocore service model, strictly: every
 * member known, every required one present, the wire type of each value
 * (timestamps as epoch seconds), enums, and on requests the length, range
 * and pattern constraints the service enforces. Counts its checks.
 */
export class ModelValidator {
  #checks = 0;
  #allowancesUsed = 0;

  constructor(
    readonly model: ServiceModel,
    readonly allowances: ModelAllowances = {},
  ) {}

  get checks(): number {
    return this.#checks;
  }

  /** How many values passed only through an allowance. */
  get allowancesUsed(): number {
    return this.#allowancesUsed;
  }

  /** Allowances the model now covers itself (a newer copy), which should go. */
  staleAllowances(): string[] {
    const stale: string[] = [];
    for (const [shape, names] of Object.entries(this.allowances.members ?? {})) {
      for (const name of names) if (this.#shape(shape).members?.[name]) stale.push(`${shape}.${name}`);
    }
    for (const [shape, values] of Object.entries(this.allowances.enumValues ?? {})) {
      for (const value of values) if (this.#shape(shape).enum?.includes(value)) stale.push(`${shape} '${value}'`);
    }
    return stale;
  }

  operation(name: string): OperationModel {
    const operation = this.model.operations[name];
    if (!operation) throw new Error(`The service model has no operation ${name}.`);
    return operation;
  }

  input(operation: string, body: unknown): Violation[] {
    return this.#body(this.operation(operation).input?.shape, body, 'input');
  }

  output(operation: string, body: unknown): Violation[] {
    return this.#body(this.operation(operation).output?.shape, body, 'output');
  }

  /** An error answer: a code the operation declares or a common one, in the body botocore parses. */
  error(operation: string, status: number, body: unknown): Violation[] {
    const declared = (this.operation(operation).errors ?? []).map((e) => e.shape);
    const out: Violation[] = [];
    if (!isObject(body)) return [this.#fail('', `the error body is ${describe(body)}, not a JSON object`)];
    const type = body.__type;
    this.#checks++;
    if (typeof type !== 'string' || type === '') return [this.#fail('__type', 'is missing: botocore reads the error code from it')];
    // botocore keeps what follows the last '#', as in com.amazon.coral.service#UnrecognizedClientException.
    const code = type.slice(type.lastIndexOf('#') + 1);
    const { __type: _, ...members } = body;
    this.#checks++;
    if (declared.includes(code)) {
      const shape = this.#shape(code);
      this.#checks++;
      const serverFault = shape.fault === true;
      if (serverFault ? status < 500 || status > 599 : status < 400 || status > 499) {
        out.push({ path: '', problem: `${code} came with HTTP ${status}; the model makes it a ${serverFault ? '5xx service fault' : '4xx client error'}` });
      }
      for (const name of LIGHTSAIL_ERROR_MEMBERS) {
        this.#checks++;
        if (members[name] === undefined) out.push({ path: name, problem: `is missing from ${code}: Lightsail's errors carry ${LIGHTSAIL_ERROR_MEMBERS.join(', ')}` });
      }
      this.#walk(code, members, '', 'output', out);
    } else if (COMMON_ERRORS.has(code)) {
      this.#checks++;
      if (status < 400 || status > 599) out.push({ path: '', problem: `${code} came with HTTP ${status}, not an error status` });
      for (const [name, value] of Object.entries(members)) {
        this.#checks++;
        if (name !== 'message' && name !== 'Message') out.push({ path: name, problem: `is not a member of the common error ${code}, which carries only __type and message` });
        else if (typeof value !== 'string') out.push({ path: name, problem: `is ${describe(value)}, not a string` });
      }
      this.#checks++;
      if (typeof members.message !== 'string' && typeof members.Message !== 'string') out.push({ path: 'message', problem: `is missing from ${code}` });
    } else {
      out.push({ path: '__type', problem: `${code} is neither an error ${operation} declares (${declared.join(', ')}) nor a common error` });
    }
    return out;
  }

  #body(shapeName: string | undefined, body: unknown, direction: Direction): Violation[] {
    const out: Violation[] = [];
    if (shapeName === undefined) {
      this.#checks++;
      if (isObject(body) && Object.keys(body).length === 0) return out;
      return [{ path: '', problem: `the ${direction} has no shape in the model, so it must be {}, not ${JSON.stringify(body)}` }];
    }
    this.#walk(shapeName, body, '', direction, out);
    return out;
  }

  #walk(shapeName: string, value: unknown, path: string, direction: Direction, out: Violation[]): void {
    const shape = this.#shape(shapeName);
    this.#checks++;
    if (value === null) {
      out.push({ path, problem: `is null; the service leaves an absent member out` });
      return;
    }
    switch (shape.type) {
      case 'structure':
        return this.#structure(shapeName, shape, value, path, direction, out);
      case 'list':
        if (!Array.isArray(value)) return void out.push({ path, problem: `is ${describe(value)}, not a list (${shapeName})` });
        if (direction === 'input') this.#size(shape, value.length, path, 'items', out);
        value.forEach((item, i) => this.#walk(shape.member?.shape ?? '', item, `${path}[${i}]`, direction, out));
        return;
      case 'map':
        if (!isObject(value)) return void out.push({ path, problem: `is ${describe(value)}, not a map (${shapeName})` });
        if (direction === 'input') this.#size(shape, Object.keys(value).length, path, 'entries', out);
        for (const [key, item] of Object.entries(value)) {
          this.#walk(shape.key?.shape ?? '', key, `${join(path, key)}(key)`, direction, out);
          this.#walk(shape.value?.shape ?? '', item, join(path, key), direction, out);
        }
        return;
      case 'string':
        return this.#string(shapeName, shape, value, path, direction, out);
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) return void out.push({ path, problem: `is ${describe(value)}, not a whole number (${shapeName})` });
        if (direction === 'input') this.#range(shape, value, path, out);
        return;
      case 'float':
      case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value)) return void out.push({ path, problem: `is ${describe(value)}, not a number (${shapeName})` });
        if (direction === 'input') this.#range(shape, value, path, out);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') out.push({ path, problem: `is ${describe(value)}, not a boolean (${shapeName})` });
        return;
      case 'timestamp':
        if (typeof value !== 'number') return void out.push({ path, problem: `is ${describe(value)}; the JSON protocol sends timestamps as epoch seconds` });
        this.#checks++;
        if (value < EARLIEST_EPOCH_S || value > LATEST_EPOCH_S) out.push({ path, problem: `is ${value}, which is not epoch seconds between 2000 and 2100 (milliseconds?)` });
        return;
      case 'blob':
        if (typeof value !== 'string') out.push({ path, problem: `is ${describe(value)}, not a base64 string (${shapeName})` });
        return;
    }
  }

  #structure(shapeName: string, shape: Shape, value: unknown, path: string, direction: Direction, out: Violation[]): void {
    if (!isObject(value)) return void out.push({ path, problem: `is ${describe(value)}, not a structure (${shapeName})` });
    const members = shape.members ?? {};
    for (const name of shape.required ?? []) {
      this.#checks++;
      if (value[name] === undefined) out.push({ path: join(path, name), problem: `is required by ${shapeName} but missing` });
    }
    for (const [name, member] of Object.entries(value)) {
      this.#checks++;
      const memberShape = members[name]?.shape;
      if (memberShape === undefined && this.allowances.members?.[shapeName]?.includes(name) && member !== null) {
        this.#allowancesUsed++;
        continue;
      }
      if (memberShape === undefined) {
        out.push({ path: join(path, name), problem: `is not a member of ${shapeName} (members: ${Object.keys(members).join(', ')})` });
        continue;
      }
      this.#walk(memberShape, member, join(path, name), direction, out);
    }
  }

  #string(shapeName: string, shape: Shape, value: unknown, path: string, direction: Direction, out: Violation[]): void {
    if (typeof value !== 'string') return void out.push({ path, problem: `is ${describe(value)}, not a string (${shapeName})` });
    if (shape.enum) {
      this.#checks++;
      const allowed = this.allowances.enumValues?.[shapeName]?.includes(value) === true;
      if (allowed && !shape.enum.includes(value)) this.#allowancesUsed++;
      else if (!shape.enum.includes(value)) out.push({ path, problem: `is '${value}', not one of ${shapeName}: ${shape.enum.join(', ')}` });
    }
    if (direction === 'output') return;
    this.#size(shape, [...value].length, path, 'characters', out);
    if (shape.pattern !== undefined) {
      this.#checks++;
      // Model patterns are not anchored unless they say so, as in Smithy.
      if (!new RegExp(shape.pattern).test(value)) out.push({ path, problem: `is '${value}', which does not match ${shapeName}'s pattern ${shape.pattern}` });
    }
  }

  #size(shape: Shape, size: number, path: string, unit: string, out: Violation[]): void {
    if (shape.min !== undefined) {
      this.#checks++;
      if (size < shape.min) out.push({ path, problem: `has ${size} ${unit}, fewer than the ${shape.min} the model requires` });
    }
    if (shape.max !== undefined) {
      this.#checks++;
      if (size > shape.max) out.push({ path, problem: `has ${size} ${unit}, more than the ${shape.max} the model allows` });
    }
  }

  #range(shape: Shape, value: number, path: string, out: Violation[]): void {
    if (shape.min !== undefined) {
      this.#checks++;
      if (value < shape.min) out.push({ path, problem: `is ${value}, below the model's minimum ${shape.min}` });
    }
    if (shape.max !== undefined) {
      this.#checks++;
      if (value > shape.max) out.push({ path, problem: `is ${value}, above the model's maximum ${shape.max}` });
    }
  }

  #shape(name: string): Shape {
    const shape = this.model.shapes[name];
    if (!shape) throw new Error(`The service model has no shape ${name}.`);
    return shape;
  }

  #fail(path: string, problem: string): Violation {
    this.#checks++;
    return { path, problem };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}
