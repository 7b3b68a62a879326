import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Account } from './account.js';
import type { CallCounts } from './call-counts.js';
import { findRegion } from './catalogue.js';
import type { Input } from './input.js';
import { LightsailError } from './lightsail-error.js';
import { OPERATIONS } from './lightsail-api.js';
import { type VerifyOptions, verifyRequest } from './sigv4.js';

const TARGET_PREFIX = 'Lightsail_20161128.';
const JSON_1_1 = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const CONTROL_PREFIX = '/_emulator/';

/** Answers `/_emulator/...`: the emulator's own knobs, unsigned, for loopback callers only. */
export type ControlHandler = (request: IncomingMessage, body: Buffer) => Promise<{ status: number; body: unknown; contentType?: string }>;

export interface ServerParts {
  account: Account;
  verify: VerifyOptions;
  control: ControlHandler;
  calls: CallCounts;
}

/** The HTTP front: AWS JSON 1.1 on `POST /`, the control endpoint beside it. */
export function createLightsailServer(parts: ServerParts): Server {
  return createServer((request, response) => {
    const requestId = randomUUID();
    response.setHeader('x-amzn-requestid', requestId);
    readBody(request)
      .then((body) => route(parts, request, response, body))
      .catch((error: unknown) => sendError(response, asLightsailError(error)));
  });
}

async function route(parts: ServerParts, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const url = request.url ?? '/';
  if (url.startsWith(CONTROL_PREFIX)) {
    const answer = await parts.control(request, body);
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response.writeHead(answer.status, {
      'content-type': answer.contentType ?? 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    return;
  }
  const result = await callLightsail(parts, request, body);
  const text = JSON.stringify(result);
  response.writeHead(200, { 'content-type': JSON_1_1, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function callLightsail(parts: ServerParts, request: IncomingMessage, body: Buffer): Promise<unknown> {
  const { account } = parts;
  const scope = verifyRequest({ method: request.method ?? 'GET', url: request.url ?? '/', rawHeaders: request.rawHeaders, body }, parts.verify);
  if (!findRegion(scope.region)) {
    throw new LightsailError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scope.region}'. Lightsail is not offered there.`);
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const handler = operation !== undefined && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (request.method !== 'POST' || !handler) {
    throw new LightsailError('UnknownOperationException', target ? `Unknown operation: ${target}` : 'Missing X-Amz-Target header.');
  }
  parts.calls.record(operation!);
  const contentType = String(request.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (contentType !== JSON_1_1) {
    throw new LightsailError('UnknownOperationException', `Expected content-type ${JSON_1_1}, got '${contentType ?? ''}'.`);
  }
  const input = parseInput(body);
  const { latencyMs } = account.faults.settings;
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  const fault = account.faults.draw();
  if (fault === 'throttle') throw new LightsailError('ThrottlingException', 'Rate exceeded');
  if (fault === 'server-error') throw new LightsailError('ServiceException', 'The service encountered an internal error. Please try again.');
  const now = account.clock.now();
  account.settle(now);
  return handler(account, { region: scope.region, now }, input);
}

function parseInput(body: Buffer): Input {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new LightsailError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LightsailError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Input;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new LightsailError('SerializationException', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function asLightsailError(error: unknown): LightsailError {
  if (error instanceof LightsailError) return error;
  if (error instanceof RangeError) return new LightsailError('InvalidInputException', error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new LightsailError('ServiceException', `The emulator failed while handling the request: ${message}`);
}

function sendError(response: ServerResponse, error: LightsailError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(error.body());
  response.writeHead(error.status, {
    'content-type': JSON_1_1,
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': error.type,
  });
  response.end(text);
}
