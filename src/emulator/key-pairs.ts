import { createHash } from 'node:crypto';
import type { Account, Call } from './account.js';
import { type Input, epochSeconds, optionalString, requiredString } from './input.js';
import { invalidInput, notFound } from './lightsail-error.js';
import { checkResourceName } from './names.js';
import { operationView, recordOperation } from './operations.js';
import { pageOfNames } from './paging.js';
import { newRsaKey } from './ssh-keys.js';
import { readTags } from './tags.js';
import { keyPairsOf, type UserKeyPairData } from './world.js';

/** Key pairs are regional; the service gives their zone as `all`. */
const REGIONAL = 'all';

function keyPairView(keyPair: UserKeyPairData, region: string): Record<string, unknown> {
  return {
    name: keyPair.name,
    arn: keyPair.arn,
    supportCode: keyPair.supportCode,
    createdAt: epochSeconds(keyPair.createdAt),
    location: { availabilityZone: REGIONAL, regionName: region },
    resourceType: 'KeyPair',
    tags: keyPair.tags,
    fingerprint: keyPair.fingerprint,
  };
}

function keyPairOperation(account: Account, call: Call, keyPair: UserKeyPairData, operationType: string): Record<string, unknown> {
  const op = recordOperation(account, call, { resourceName: keyPair.name, resourceType: 'KeyPair', operationType, availabilityZone: REGIONAL, finished: true });
  return operationView(op, call.region);
}

/** Colon-separated hex, the way Lightsail prints a key pair's fingerprint. */
function colonFingerprint(publicKeyBlob: string): string {
  return createHash('md5').update(Buffer.from(publicKeyBlob, 'base64')).digest('hex').replace(/(..)(?!$)/g, '$1:');
}

export async function createKeyPair(account: Account, call: Call, input: Input): Promise<unknown> {
  const name = requiredString(input, 'keyPairName');
  checkResourceName('key pair', name);
  const tags = readTags(input);
  const keyPairs = keyPairsOf(account.region(call.region));
  if (keyPairs[name]) throw invalidInput(`Some names are already in use: ${name}`);
  const key = await newRsaKey();
  const keyPair: UserKeyPairData = {
    name,
    arn: `arn:aws:lightsail:${call.region}:${account.data.accountId}:KeyPair/${account.random.uuid()}`,
    supportCode: `${account.data.accountId}/${name}`,
    createdAt: call.now,
    publicKey: key.publicKey,
    fingerprint: colonFingerprint(key.publicKey),
    tags,
  };
  keyPairs[name] = keyPair;
  return {
    keyPair: keyPairView(keyPair, call.region),
    publicKeyBase64: Buffer.from(`ssh-rsa ${key.publicKey}`).toString('base64'),
    privateKeyBase64: Buffer.from(key.privateKeyPem).toString('base64'),
    operation: keyPairOperation(account, call, keyPair, 'CreateKeyPair'),
  };
}

export function getKeyPairs(account: Account, call: Call, input: Input): unknown {
  const keyPairs = keyPairsOf(account.region(call.region));
  const page = pageOfNames(Object.keys(keyPairs).sort(), optionalString(input, 'pageToken'), account.pageSize);
  return {
    keyPairs: page.names.map((name) => keyPairView(keyPairs[name] as UserKeyPairData, call.region)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

export function deleteKeyPair(account: Account, call: Call, input: Input): unknown {
  const name = requiredString(input, 'keyPairName');
  const keyPairs = keyPairsOf(account.region(call.region));
  const keyPair = keyPairs[name];
  if (!keyPair) throw notFound('KeyPair', name);
  const expected = optionalString(input, 'expectedFingerprint');
  if (expected !== undefined && expected !== keyPair.fingerprint) {
    throw invalidInput(`The key pair '${name}' has the fingerprint ${keyPair.fingerprint}, not the expected ${expected}.`);
  }
  delete keyPairs[name];
  return { operation: keyPairOperation(account, call, keyPair, 'DeleteKeyPair') };
}
