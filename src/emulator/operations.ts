import type { Account, Call } from './account.js';
import { type Input, epochSeconds, requiredString, optionalString } from './input.js';
import { notFound } from './lightsail-error.js';
import { decodePageToken, encodePageToken } from './paging.js';
import type { OperationData } from './world.js';

/** Operation ids per region, built once per account so GetOperation does not scan the history. */
const indexes = new WeakMap<Account, Map<string, OperationData>>();

function index(account: Account): Map<string, OperationData> {
  let byId = indexes.get(account);
  if (!byId) {
    byId = new Map();
    for (const [name, data] of Object.entries(account.data.regions)) {
      for (const op of data.operations) byId.set(`${name}/${op.id}`, op);
    }
    indexes.set(account, byId);
  }
  return byId;
}

export interface NewOperation {
  resourceName: string;
  resourceType: OperationData['resourceType'];
  operationType: string;
  availabilityZone: string;
  operationDetails?: string;
  /** Operations that finish later start as `Started`; the rest succeed on the spot. */
  finished: boolean;
}

export function recordOperation(account: Account, call: Call, spec: NewOperation): OperationData {
  const op: OperationData = {
    id: account.random.uuid(),
    seq: account.nextSequence(),
    resourceName: spec.resourceName,
    resourceType: spec.resourceType,
    createdAt: call.now,
    availabilityZone: spec.availabilityZone,
    operationType: spec.operationType,
    operationDetails: spec.operationDetails ?? '',
    status: spec.finished ? 'Succeeded' : 'Started',
    statusChangedAt: call.now,
  };
  account.region(call.region).operations.push(op);
  index(account).set(`${call.region}/${op.id}`, op);
  account.changed();
  return op;
}

/** A change to an instance that takes effect at once (its firewall, an add-on), recorded as the service does. */
export function recordInstanceChange(account: Account, call: Call, instance: { name: string; availabilityZone: string }, operationType: string, details: string): OperationData {
  return recordOperation(account, call, {
    resourceName: instance.name,
    resourceType: 'Instance',
    operationType,
    availabilityZone: instance.availabilityZone,
    operationDetails: details,
    finished: true,
  });
}

export function finishOperations(account: Account, region: string, ids: readonly string[], at: number, status: 'Succeeded' | 'Failed' = 'Succeeded'): void {
  const byId = index(account);
  for (const id of ids) {
    const op = byId.get(`${region}/${id}`);
    if (op && op.status === 'Started') {
      op.status = status;
      op.statusChangedAt = at;
    }
  }
  account.changed();
}

export function operationView(op: OperationData, region: string): Record<string, unknown> {
  return {
    id: op.id,
    resourceName: op.resourceName,
    resourceType: op.resourceType,
    createdAt: epochSeconds(op.createdAt),
    location: { availabilityZone: op.availabilityZone, regionName: region },
    isTerminal: op.status !== 'Started',
    operationDetails: op.operationDetails,
    operationType: op.operationType,
    status: op.status,
    statusChangedAt: epochSeconds(op.statusChangedAt),
  };
}

export function getOperation(account: Account, call: Call, input: Input): unknown {
  const id = requiredString(input, 'operationId');
  const op = index(account).get(`${call.region}/${id}`);
  if (!op) throw notFound('Operation', id);
  return { operation: operationView(op, call.region) };
}

/** Newest first, as the service lists them. */
export function getOperations(account: Account, call: Call, input: Input): unknown {
  return pageOfOperations(account, call, account.region(call.region).operations, optionalString(input, 'pageToken'));
}

export function getOperationsForResource(account: Account, call: Call, input: Input): unknown {
  const name = requiredString(input, 'resourceName');
  const ops = account.region(call.region).operations.filter((op) => op.resourceName === name);
  return pageOfOperations(account, call, ops, optionalString(input, 'pageToken'));
}

/** A page of `ops` (oldest first) read newest first; the token holds the last sequence number returned. */
function pageOfOperations(account: Account, call: Call, ops: readonly OperationData[], pageToken: string | undefined): unknown {
  const after = decodePageToken(pageToken);
  let end = ops.length;
  if (typeof after === 'number') {
    while (end > 0 && (ops[end - 1] as OperationData).seq >= after) end -= 1;
  }
  const page = ops.slice(Math.max(0, end - account.pageSize), end).reverse();
  const last = page[page.length - 1];
  const more = end - account.pageSize > 0 && last !== undefined;
  return {
    operations: page.map((op) => operationView(op, call.region)),
    ...(more ? { nextPageToken: encodePageToken(last.seq) } : {}),
  };
}
