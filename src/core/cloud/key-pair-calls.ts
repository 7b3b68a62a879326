import { DeleteKeyPairCommand, GetKeyPairsCommand } from '@aws-sdk/client-lightsail';
import { keyPairFromSdk } from './from-sdk.js';
import { type GatewayCalls, isKind } from './gateway-calls.js';
import type { KeyPair, Operation } from './model.js';
import { collectPages } from './pagination.js';

/** SSH key pairs: Porthole makes none, but `porthole doctor` sweeps those tagged as its own. */
export class KeyPairCalls {
  constructor(readonly calls: GatewayCalls) {}

  listKeyPairs(region: string): Promise<KeyPair[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
        { region, action: 'list key pairs', operation: 'GetKeyPairs', idempotent: true },
        (c) => c.send(new GetKeyPairsCommand({ pageToken })),
      );
      return { items: (out.keyPairs ?? []).map((k) => keyPairFromSdk(k, region)), nextPageToken: out.nextPageToken };
    });
  }

  deleteKeyPair(region: string, name: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `delete key pair "${name}"`,
        operation: 'DeleteKeyPair',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new DeleteKeyPairCommand({ keyPairName: name })),
    );
  }
}
