import {
  AllocateStaticIpCommand,
  AttachStaticIpCommand,
  DetachStaticIpCommand,
  GetStaticIpCommand,
  GetStaticIpsCommand,
  ReleaseStaticIpCommand,
} from '@aws-sdk/client-lightsail';
import { staticIpFromSdk } from './from-sdk.js';
import { type GatewayCalls, emptyAnswer, isKind, orUndefinedIfMissing } from './gateway-calls.js';
import type { Operation, StaticIp } from './model.js';
import { collectPages } from './pagination.js';

/** Static IPs: the address a workspace keeps across stop, hibernate and resume. */
export class StaticIpCalls {
  constructor(readonly calls: GatewayCalls) {}

  allocateStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `reserve static IP "${name}"`,
        operation: 'AllocateStaticIp',
        idempotent: false,
        creates: [name],
        recover: async (error) => {
          if (!isKind(error, 'name-taken')) return undefined;
          const ip = await this.findStaticIp(region, name);
          return ip && !ip.isAttached ? this.calls.latestOperations(region, name, 'AllocateStaticIp') : undefined;
        },
      },
      (c) => c.send(new AllocateStaticIpCommand({ staticIpName: name })),
    );
  }

  attachStaticIp(region: string, staticIpName: string, instanceName: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `attach static IP "${staticIpName}" to instance "${instanceName}"`,
        operation: 'AttachStaticIp',
        idempotent: false,
        resources: [staticIpName, instanceName],
        recover: async () => {
          const ip = await this.findStaticIp(region, staticIpName);
          return ip?.attachedTo === instanceName ? this.calls.latestOperations(region, staticIpName, 'AttachStaticIp') : undefined;
        },
      },
      (c) => c.send(new AttachStaticIpCommand({ staticIpName, instanceName })),
    );
  }

  detachStaticIp(region: string, staticIpName: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `detach static IP "${staticIpName}"`,
        operation: 'DetachStaticIp',
        idempotent: false,
        resources: [staticIpName],
        recover: async () => {
          const ip = await this.findStaticIp(region, staticIpName);
          return ip && !ip.isAttached ? [] : undefined;
        },
      },
      (c) => c.send(new DetachStaticIpCommand({ staticIpName })),
    );
  }

  releaseStaticIp(region: string, name: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `release static IP "${name}"`,
        operation: 'ReleaseStaticIp',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new ReleaseStaticIpCommand({ staticIpName: name })),
    );
  }

  async getStaticIp(region: string, name: string): Promise<StaticIp> {
    const out = await this.calls.call(
      { region, action: `read static IP "${name}"`, operation: 'GetStaticIp', idempotent: true, resources: [name] },
      (c) => c.send(new GetStaticIpCommand({ staticIpName: name })),
    );
    if (!out.staticIp) throw emptyAnswer('GetStaticIp', region);
    return staticIpFromSdk(out.staticIp, region);
  }

  findStaticIp(region: string, name: string): Promise<StaticIp | undefined> {
    return orUndefinedIfMissing(this.getStaticIp(region, name));
  }

  listStaticIps(region: string): Promise<StaticIp[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
        { region, action: 'list static IPs', operation: 'GetStaticIps', idempotent: true },
        (c) => c.send(new GetStaticIpsCommand({ pageToken })),
      );
      return { items: (out.staticIps ?? []).map((s) => staticIpFromSdk(s, region)), nextPageToken: out.nextPageToken };
    });
  }
}
