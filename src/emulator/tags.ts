import type { Account, Call } from './account.js';
import { type Input, objectList, optionalString, requiredString, stringList } from './input.js';
import { invalidInput, notFound } from './lightsail-error.js';
import { operationView, recordOperation } from './operations.js';
import { keyPairsOf, type OperationData, type Tag } from './world.js';

const MAX_TAGS = 50;

export function readTags(input: Input): Tag[] {
  const tags = objectList(input, 'tags', false).map((t): Tag => {
    const key = t.key;
    const value = t.value;
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw invalidInput(`A tag key must be 1 to 128 characters long; got ${JSON.stringify(key)}.`);
    }
    if (key.toLowerCase().startsWith('aws:')) throw invalidInput(`The tag key '${key}' uses the reserved prefix 'aws:'.`);
    if (value !== undefined && (typeof value !== 'string' || value.length > 256)) {
      throw invalidInput(`The value of tag '${key}' must be a string of at most 256 characters.`);
    }
    return value === undefined ? { key } : { key, value };
  });
  if (tags.length > MAX_TAGS) throw invalidInput(`A resource can have at most ${MAX_TAGS} tags; the request has ${tags.length}.`);
  return tags;
}

interface Taggable {
  name: string;
  resourceType: OperationData['resourceType'];
  availabilityZone: string;
  /** The stored resource, whose tag list is replaced in place. */
  owner: { tags: Tag[]; arn: string };
}

function findTaggable(account: Account, call: Call, input: Input): Taggable {
  const name = requiredString(input, 'resourceName');
  const arn = optionalString(input, 'resourceArn');
  const region = account.region(call.region);
  const instance = region.instances[name];
  const snapshot = region.snapshots[name];
  const keyPair = keyPairsOf(region)[name];
  const candidates: Taggable[] = [];
  if (instance && account.isVisible(call.region, name)) {
    candidates.push({ name, resourceType: 'Instance', availabilityZone: instance.availabilityZone, owner: instance });
  }
  if (snapshot) candidates.push({ name, resourceType: 'InstanceSnapshot', availabilityZone: 'all', owner: snapshot });
  if (keyPair) candidates.push({ name, resourceType: 'KeyPair', availabilityZone: 'all', owner: keyPair });
  const found = arn ? candidates.find((c) => c.owner.arn === arn) : candidates[0];
  if (!found) throw notFound('Resource', arn ?? name);
  return found;
}

function tagged(account: Account, call: Call, resource: Taggable, operationType: string, setTags: (tags: Tag[]) => Tag[]): unknown {
  resource.owner.tags = setTags(resource.owner.tags);
  account.changed();
  const op = recordOperation(account, call, {
    resourceName: resource.name,
    resourceType: resource.resourceType,
    operationType,
    availabilityZone: resource.availabilityZone,
    finished: true,
  });
  return { operations: [operationView(op, call.region)] };
}

export function tagResource(account: Account, call: Call, input: Input): unknown {
  const resource = findTaggable(account, call, input);
  const tags = readTags(input);
  if (tags.length === 0) throw invalidInput('Missing required parameter: tags.');
  return tagged(account, call, resource, 'TagResource', (existing) => {
    const merged = new Map(existing.map((t) => [t.key, t]));
    for (const t of tags) merged.set(t.key, t);
    if (merged.size > MAX_TAGS) throw invalidInput(`A resource can have at most ${MAX_TAGS} tags; this would make ${merged.size}.`);
    return [...merged.values()];
  });
}

export function untagResource(account: Account, call: Call, input: Input): unknown {
  const resource = findTaggable(account, call, input);
  const keys = new Set(stringList(input, 'tagKeys', true));
  return tagged(account, call, resource, 'UntagResource', (existing) => existing.filter((t) => !keys.has(t.key)));
}
