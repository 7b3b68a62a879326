import {
  GetOperationCommand,
  GetOperationsForResourceCommand,
  type LightsailClient,
  type Operation as SdkOperation,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lightsail';
import { type ErrorKind, PortholeError, isPortholeError } from '../errors.js';
import { readFailure } from './aws-failure.js';
import { type Clock, systemClock } from './clock.js';
import { type CallContext, errorKindOf, toPortholeError } from './error-mapping.js';
import { operationFromSdk, tagsToSdk } from './from-sdk.js';
import { type LightsailAccount, LightsailClients } from './lightsail-client.js';
import type { Operation, Tags } from './model.js';
import { DEFAULT_WAIT_TIMING, type WaitOptions, type WaitTiming, pollOperations } from './operation-wait.js';
import { collectPages } from './pagination.js';
import { DEFAULT_RETRY_POLICY, type Random, type RetryPolicy, withRetry } from './retry.js';

export interface GatewayOptions {
  clock?: Clock;
  random?: Random;
  retryPolicy?: RetryPolicy;
  waitTiming?: Partial<WaitTiming>;
  /**
   * How long a resource this gateway just created may still read as missing:
   * Lightsail's reads lag its writes, so a not-found that soon is retried.
   */
  settleMs?: number;
}

export interface CallSpec<T> {
  region: string;
  action: string;
  operation: string;
  /** Safe to repeat even when an earlier attempt's answer was lost. */
  idempotent: boolean;
  /** Resources the call names, for the just-created not-found allowance. */
  resources?: string[];
  /** Resources the call creates: reads of them may lag for `settleMs`, even while this call retries. */
  creates?: string[];
  /** Resources the call deletes: from then on a not-found for them is the truth. */
  deletes?: string[];
  recover?: (error: unknown) => Promise<T | undefined>;
}

export type Send<T> = (client: LightsailClient) => Promise<T>;

const DEFAULT_SETTLE_MS = 60_000;

/**
 * How the gateway calls Lightsail, whatever the resource: retry and backoff,
 * recovery of lost answers, the just-created allowance, error mapping, and
 * the operations every mutation returns.
 */
export class GatewayCalls {
  readonly clock: Clock;
  readonly timing: WaitTiming;
  readonly #clients: LightsailClients;
  readonly #random: Random;
  readonly #policy: RetryPolicy;
  readonly #settleMs: number;
  /** When this gateway last created each `region/name`. */
  readonly #created = new Map<string, number>();

  constructor(readonly account: LightsailAccount, options: GatewayOptions = {}) {
    this.#clients = new LightsailClients(account);
    this.clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.timing = { ...DEFAULT_WAIT_TIMING, ...options.waitTiming };
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  close(): void {
    this.#clients.destroy();
  }

  async call<T>(spec: CallSpec<T>, send: Send<T>): Promise<T> {
    const client = this.#clients.forRegion(spec.region);
    const recover = spec.recover;
    this.#markCreated(spec.region, spec.creates ?? []);
    try {
      const result = await withRetry(() => send(client), {
        policy: this.#policy,
        sleep: (ms) => this.clock.sleep(ms),
        random: this.#random,
        idempotent: spec.idempotent,
        // A delete that meets not-found has nothing to wait for: its own lost answer may have done it.
        isTransient: (f) => errorKindOf(f) === 'not-found' && !spec.deletes && this.#isSettling(spec.region, spec.resources ?? []),
        ...(recover ? { recover: (error: unknown) => recover(error).catch(() => undefined) } : {}),
      });
      for (const name of spec.deletes ?? []) this.#created.delete(`${spec.region}/${name}`);
      return result;
    } catch (error) {
      for (const name of spec.creates ?? []) this.#created.delete(`${spec.region}/${name}`);
      throw toPortholeError(error, this.context(spec));
    }
  }

  /** A call that changes something: its answer is the operations Lightsail started. */
  async mutate(
    spec: CallSpec<Operation[]>,
    send: Send<{ operations?: SdkOperation[]; operation?: SdkOperation }>,
  ): Promise<Operation[]> {
    const out = await this.call<Operation[] | { operations?: SdkOperation[]; operation?: SdkOperation }>(spec, send);
    if (Array.isArray(out)) return out;
    const operations = out.operations ?? (out.operation ? [out.operation] : []);
    return operations.map((op) => operationFromSdk(op, spec.region));
  }

  context(spec: { region: string; action: string; operation: string }): CallContext {
    return { region: spec.region, action: spec.action, operation: spec.operation, endpoint: this.account.endpoint };
  }

  async getOperation(region: string, id: string): Promise<Operation> {
    const out = await this.call(
      { region, action: `read operation ${id}`, operation: 'GetOperation', idempotent: true, resources: [id] },
      (c) => c.send(new GetOperationCommand({ operationId: id })),
    );
    if (!out.operation) throw emptyAnswer('GetOperation', region);
    return operationFromSdk(out.operation, region);
  }

  getOperationsForResource(region: string, resourceName: string): Promise<Operation[]> {
    return collectPages(async (pageToken) => {
      const out = await this.call(
        { region, action: `list the operations on "${resourceName}"`, operation: 'GetOperationsForResource', idempotent: true },
        (c) => c.send(new GetOperationsForResourceCommand({ resourceName, pageToken })),
      );
      return { items: (out.operations ?? []).map((o) => operationFromSdk(o, region)), nextPageToken: out.nextPageToken };
    });
  }

  waitForOperations(operations: readonly Operation[], options: WaitOptions = {}): Promise<Operation[]> {
    const timing = {
      ...this.timing,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    };
    const regionOf = new Map(operations.map((op) => [op.id, op.region]));
    return pollOperations(
      operations,
      (id) => orUndefinedIfMissing(this.getOperation(regionOf.get(id) ?? this.account.region, id)),
      this.clock,
      timing,
      options.onProgress,
    );
  }

  /** The newest operation of `type` on a resource: what a lost answer would have returned. */
  async latestOperations(region: string, resourceName: string, type: string): Promise<Operation[]> {
    const ops = (await this.getOperationsForResource(region, resourceName)).filter((op) => op.operationType === type);
    const newest = ops.reduce<Operation | undefined>(
      (best, op) => (!best || (op.createdAt?.getTime() ?? 0) > (best.createdAt?.getTime() ?? 0) ? op : best),
      undefined,
    );
    return newest ? [newest] : [];
  }

  tagResource(region: string, resourceName: string, tags: Tags): Promise<Operation[]> {
    return this.mutate(
      { region, action: `tag "${resourceName}"`, operation: 'TagResource', idempotent: true, resources: [resourceName] },
      (c) => c.send(new TagResourceCommand({ resourceName, tags: tagsToSdk(tags) })),
    );
  }

  untagResource(region: string, resourceName: string, keys: string[]): Promise<Operation[]> {
    return this.mutate(
      { region, action: `untag "${resourceName}"`, operation: 'UntagResource', idempotent: true, resources: [resourceName] },
      (c) => c.send(new UntagResourceCommand({ resourceName, tagKeys: keys })),
    );
  }

  #markCreated(region: string, names: readonly string[]): void {
    const now = this.clock.now();
    for (const name of names) this.#created.set(`${region}/${name}`, now);
  }

  #isSettling(region: string, names: readonly string[]): boolean {
    const now = this.clock.now();
    return names.some((name) => {
      const at = this.#created.get(`${region}/${name}`);
      return at !== undefined && now - at < this.#settleMs;
    });
  }
}

export function isKind(error: unknown, kind: ErrorKind): boolean {
  return errorKindOf(readFailure(error)) === kind;
}

export async function orUndefinedIfMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isPortholeError(error, 'not-found')) return undefined;
    throw error;
  }
}

export function emptyAnswer(operation: string, region: string): PortholeError {
  return new PortholeError('service', `Lightsail answered ${operation} in ${region} without the expected data.`, {
    fix: 'Try again; if it keeps happening, report it with the log.',
  });
}
