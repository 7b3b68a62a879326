import { LightsailClient, type LightsailClientConfig } from '@aws-sdk/client-lightsail';

export type CredentialsProvider = NonNullable<LightsailClientConfig['credentials']>;

/** The cloud side of a Porthole account: where and as whom to call Lightsail. */
export interface LightsailAccount {
  /** The region used for account-wide calls such as listing regions. */
  region: string;
  credentials: CredentialsProvider;
  /** Sends every call here instead of AWS: the sandbox account's lightsail-local. */
  endpoint?: string | undefined;
}

const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One client per region. The SDK's own retries are off: the gateway retries
 * itself, knowing which calls are safe to repeat and what a repeat means.
 */
export function createLightsailClient(account: LightsailAccount, region = account.region): LightsailClient {
  return new LightsailClient({
    region,
    credentials: account.credentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    ...(account.endpoint ? { endpoint: account.endpoint } : {}),
  });
}

/** Reuses a client per region: each holds its own connection pool. */
export class LightsailClients {
  readonly #clients = new Map<string, LightsailClient>();

  constructor(readonly account: LightsailAccount) {}

  forRegion(region: string): LightsailClient {
    let client = this.#clients.get(region);
    if (!client) {
      client = createLightsailClient(this.account, region);
      this.#clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
