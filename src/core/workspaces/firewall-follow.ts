import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import type { PortRule } from '../cloud/model.js';
import { PortholeError, isPortholeError } from '../errors.js';
import type { WorkspaceRecords } from './engine-ports.js';
import { SSH_PORT, sshSources } from './firewall-cidr.js';
import type { WorkspaceEvent } from './workspace-events.js';
import { instanceNameOf, type WorkspaceRef } from './workspace-ref.js';

/** A workspace of the follower's account. */
type WorkspaceAt = Pick<WorkspaceRef, 'name' | 'region'>;

/** The workspace's SSH rule was rewritten for this computer's new address: it lets in `to` now, and `from` no more. */
export type FirewallFollowed = Extract<WorkspaceEvent, { type: 'firewall-followed' }>;

export interface FirewallFollowDependencies {
  account: string;
  gateway: Pick<LightsailGateway, 'openPublicPorts' | 'closePublicPorts' | 'getPortStates' | 'waitForOperations'>;
  records: WorkspaceRecords;
  /** This computer's public IPv4 address, from the IP echo. */
  publicIp: () => Promise<string>;
  emit: (event: WorkspaceEvent) => void;
}

/** How the user hears of it, in a notification, the activity log and the CLI alike. */
export function firewallFollowedMessage(event: FirewallFollowed): { title: string; body: string } {
  return {
    title: `${event.name}: firewall now lets in your new address ${event.to}`,
    body: `This computer's public IP changed${event.from ? ` from ${event.from}` : ''}, so Porthole moved the workspace's SSH rule to ${event.to}/32 and connected again. Addresses you added stay allowed.`,
  };
}

const sshFrom = (ip: string): PortRule => ({ fromPort: SSH_PORT, toPort: SSH_PORT, protocol: 'tcp', cidrs: [`${ip}/32`] });

/**
 * A workspace's firewall lets in SSH from the address this computer had
 * when the rule was written. When a connection cannot get through and the
 * address has changed since (another network, a new lease), the rule
 * follows it there and then, rather than at the next start: the old /32
 * Porthole wrote makes way for the new one, ranges the user added stay.
 */
export class FirewallFollower {
  readonly #under = new Map<string, Promise<FirewallFollowed | undefined>>();
  /** How many times each workspace's rule was rewritten: a connection compares it before and after it failed. */
  readonly #rewrites = new Map<string, number>();

  constructor(readonly deps: FirewallFollowDependencies) {}

  /**
   * Runs `connect`; when it cannot reach the box and the rule was rewritten
   * for a new address, runs it once more. A rewrite another connection
   * finished while this one was failing counts too: this one met the same
   * old rule, and asking now would only find the address already current.
   */
  async guard<T>(ref: WorkspaceAt, connect: () => Promise<T>): Promise<T> {
    const rewritesBefore = this.#rewriteCount(ref);
    try {
      return await connect();
    } catch (error) {
      if (!isPortholeError(error, 'network') && !isPortholeError(error, 'timeout')) throw error;
      const followed = await this.follow(ref, error);
      if (!followed && this.#rewriteCount(ref) === rewritesBefore) throw error;
      return connect();
    }
  }

  /**
   * Rewrites the rule when this computer's address is not the one it was
   * written for; undefined when it is (the failure lies elsewhere, and the
   * rule is left as it is). Connections failing together share one rewrite.
   */
  follow(ref: WorkspaceAt, failure: unknown): Promise<FirewallFollowed | undefined> {
    const key = keyOf(ref);
    const under = this.#under.get(key);
    if (under) return under;
    const started = this.#follow(ref, failure).finally(() => this.#under.delete(key));
    this.#under.set(key, started);
    return started;
  }

  async #follow(ref: WorkspaceAt, failure: unknown): Promise<FirewallFollowed | undefined> {
    const { gateway, records, account } = this.deps;
    const find = async () => (await records.list(account)).find((r) => r.name === ref.name && r.region === ref.region);
    const record = await find();
    if (!record) return undefined;
    const ip = await this.#publicIp(ref.name, failure);
    if (ip === record.callerIp) return undefined;
    const from = record.callerIp;
    if (from === undefined) {
      // Written before Porthole kept the address: if the rule already lets this one in, the firewall is not what failed.
      const present = sshSources(await gateway.getPortStates(ref.region, instanceNameOf(record)), undefined).some((s) => s.cidr === `${ip}/32`);
      if (present) {
        await records.put({ ...record, callerIp: ip });
        return undefined;
      }
    }
    await gateway.waitForOperations(await gateway.openPublicPorts(ref.region, instanceNameOf(record), sshFrom(ip)));
    if (from !== undefined) await gateway.waitForOperations(await gateway.closePublicPorts(ref.region, instanceNameOf(record), sshFrom(from)));
    await records.put({ ...((await find()) ?? record), callerIp: ip });
    const followed: FirewallFollowed = { type: 'firewall-followed', name: ref.name, region: ref.region, account, ...(from !== undefined ? { from } : {}), to: ip };
    this.#rewrites.set(keyOf(ref), this.#rewriteCount(ref) + 1);
    this.deps.emit(followed);
    return followed;
  }

  #rewriteCount(ref: WorkspaceAt): number {
    return this.#rewrites.get(keyOf(ref)) ?? 0;
  }

  async #publicIp(name: string, failure: unknown): Promise<string> {
    try {
      return await this.deps.publicIp();
    } catch (error) {
      throw new PortholeError('network', `${withoutFix(failure)} Porthole could not tell whether this computer's public IP changed since the firewall of ${name} was written, so it left the firewall as it is: ${withoutFix(error)}`, {
        fix: isPortholeError(error) && error.fix ? error.fix : 'Check the network connection, then try again.',
        cause: error,
      });
    }
  }
}

const keyOf = (ref: WorkspaceAt) => `${ref.region}/${ref.name}`;

/** What went wrong, without the advice a PortholeError's message ends with: the combined error gives its own. */
function withoutFix(error: unknown): string {
  if (isPortholeError(error)) return error.problem;
  return error instanceof Error ? error.message : String(error);
}
