import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { instanceHostKeys, sshCaPublicKeyLine } from './access-details.js';
import { Account } from './account.js';
import { type BillingReport, billingReport } from './billing.js';
import { EmulatedClock } from './clock.js';
import { CallerAddress } from './caller-address.js';
import { controlHandler } from './control.js';
import { DEFAULT_DURATIONS, type Durations } from './durations.js';
import { type FaultSettings, Faults } from './faults.js';
import { diskOf, scheduleInstance } from './instances.js';
import { scheduleAutoSnapshots } from './auto-snapshot-schedule.js';
import { InstanceRuntime } from './runtime/instance-runtime.js';
import { scheduleSnapshot } from './snapshots.js';
import { startSsoOidcEmulator, type SsoOidcOptions } from './identity/sso-oidc.js';
import { SANDBOX_CREDENTIALS, type CredentialPair } from './sandbox-credentials.js';
import { createLightsailServer } from './server.js';
import { CallCounts, type CallCountReport } from './call-counts.js';
import { StateStore, loadState } from './state-store.js';
import type { WorldData } from './world.js';

export { SANDBOX_CREDENTIALS, type CredentialPair } from './sandbox-credentials.js';
export type { BillingReport, ResourceCharge } from './billing.js';
export type { FaultSettings } from './faults.js';
export type { Durations } from './durations.js';
export type { InstanceEndpoints } from './runtime/instance-runtime.js';

export interface EmulatorOptions {
  /** Loopback by default; anything else needs `allowNonLoopback`. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where the world is kept between runs; without it, memory only. */
  stateFile?: string;
  /** Emulated time runs this many times faster than the wall clock. */
  timeScale?: number;
  /** Items per page of a listing. */
  pageSize?: number;
  credentials?: CredentialPair[];
  /** Lifetimes of the identity routes' codes, tokens and role credentials. */
  identity?: SsoOidcOptions;
  acceptAnyCredentials?: boolean;
  /** Makes ids, addresses and fault decisions repeat from run to run. */
  seed?: number;
  durations?: Partial<Durations>;
  accountId?: string;
  allowNonLoopback?: boolean;
  /**
   * Backs each running instance with real processes on loopback: a private
   * sshd that takes the certificates GetInstanceAccessDetails hands out, and
   * code-server started with the instance's launch script configuration.
   */
  instanceRuntime?: {
    /** The code-server binary; without it, the endpoints route says how to install one. */
    codeServer?: string | (() => string | undefined);
    sshd?: string;
    /** Each instance's folder lives here; by default beside the state file (or in a temporary folder removed on close). */
    dir?: string;
    /** Start an instance's processes when the endpoints route is first asked, not as soon as it runs. */
    startOnDemand?: boolean;
    /** How long an instance stays in its first provisioning step (default 1 s). */
    provisionMs?: number;
    /** How long a new launch's sshd answers before its launch script begins (default 0), as cloud-init runs it late in boot. */
    bootMs?: number;
  };
}

/** How often the runtime looks for instances whose state changed; transitions fall due with emulated time, not with calls. */
const RUNTIME_POLL_MS = 200;

export interface RunningEmulator {
  /** Pass as the SDK's `endpoint` or the CLI's `--endpoint-url`. */
  endpoint: string;
  /**
   * IAM Identity Center (SSO OIDC and portal) and STS, on a sibling server:
   * AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_STS.
   * Its role credentials open this Lightsail until they expire.
   */
  identityEndpoint: string;
  host: string;
  port: number;
  faults: {
    readonly settings: FaultSettings;
    /** Calls refused so far by each kind of fault. */
    readonly fired: Readonly<Record<'throttle' | 'server-error', number>>;
    set(changes: Partial<FaultSettings>): FaultSettings;
    clear(): void;
  };
  /** Moves emulated time forward, finishing whatever falls due. */
  advance(ms: number): void;
  /** Emulated epoch milliseconds. */
  now(): number;
  billing(): BillingReport;
  /** Counts of resources by region and state. */
  summary(): Record<string, unknown>;
  /** The Lightsail calls answered so far, by operation. */
  calls(): CallCountReport;
  /** The `TrustedUserCAKeys` line for an sshd that should accept the certificates GetInstanceAccessDetails hands out. */
  sshCaPublicKey(): Promise<string>;
  /** An instance's host keys, private halves included, for an sshd standing in for it; made on first use and kept. */
  hostKeys(instanceName: string, region?: string): Promise<Array<{ algorithm: string; privateKeyPem: string; publicKey: string }>>;
  /** The launch script an instance was created with, which GetInstance does not return. */
  userData(instanceName: string, region?: string): string | undefined;
  /** Writes pending state to the state file now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Lightsail lists a page of 50 for most calls that page; small enough to make paging real. */
const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_ACCOUNT_ID = '111122223333';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowNonLoopback) {
    throw new Error(
      `lightsail-local will not listen on ${host}: its sandbox credentials are public, so it binds to loopback only. ` +
        `Pass allowNonLoopback: true if you really mean to expose it.`,
    );
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a whole number of at least 1, not ${pageSize}`);

  const loaded = loadState(options.stateFile);
  const clock = new EmulatedClock(options.timeScale ?? 1, loaded?.clock);
  const data: WorldData = loaded ?? {
    version: 1,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    clock: clock.reading(),
    regions: {},
    ledger: [],
    randomSeed: options.seed ?? (Math.random() * 2 ** 32) >>> 0,
    sequence: 0,
  };
  const faults = new Faults(options.seed);
  const live = new Account(data, clock, { ...DEFAULT_DURATIONS, ...options.durations }, faults, pageSize, () => store.saveSoon());
  const store = new StateStore(options.stateFile, () => {
    data.clock = clock.reading();
    return data;
  });
  for (const [region, regionData] of Object.entries(data.regions)) {
    for (const instance of Object.values(regionData.instances)) {
      if (instance.transition) scheduleInstance(live, region, instance);
      if (instance.autoSnapshot?.enabled) scheduleAutoSnapshots(live, region, instance, diskOf);
    }
    for (const snapshot of Object.values(regionData.snapshots)) if (snapshot.transition) scheduleSnapshot(live, region, snapshot);
  }
  live.settle(clock.now());

  const caller = new CallerAddress();
  const identity = await startSsoOidcEmulator(options.identity);
  const runtime = options.instanceRuntime ? await openRuntime(live, options.instanceRuntime, options.stateFile, (address) => caller.of(address), identity.url) : undefined;
  const runtimeTimer = runtime
    ? setInterval(() => {
        live.settle(clock.now());
        runtime.instances.reconcile();
      }, RUNTIME_POLL_MS)
    : undefined;
  runtimeTimer?.unref();
  runtime?.instances.reconcile();

  const startedAt = Date.now();
  const summary = (): Record<string, unknown> => {
    live.settle(clock.now());
    const regions: Record<string, unknown> = {};
    for (const [name, r] of Object.entries(data.regions)) {
      const states: Record<string, number> = {};
      for (const i of Object.values(r.instances)) states[i.state] = (states[i.state] ?? 0) + 1;
      regions[name] = {
        instances: Object.keys(r.instances).length,
        instancesByState: states,
        staticIps: Object.keys(r.staticIps).length,
        snapshots: Object.keys(r.snapshots).length,
        operations: r.operations.length,
      };
    }
    return { regions };
  };
  const billing = (): BillingReport => {
    live.settle(clock.now());
    return billingReport(live, clock.now());
  };
  const advance = (ms: number): void => {
    clock.advance(ms);
    live.settle(clock.now());
    store.saveSoon();
  };

  const calls = new CallCounts();
  let endpoint = '';
  const server = createLightsailServer({
    account: live,
    calls,
    verify: {
      sessionCredentials: () => identity.sessionCredentials(),
      credentials: options.credentials ?? [SANDBOX_CREDENTIALS],
      acceptAnyCredentials: options.acceptAnyCredentials ?? false,
      now: Date.now,
    },
    control: controlHandler({
      health: () => ({
        status: 'ok',
        service: 'lightsail-local',
        endpoint,
        uptimeMs: Date.now() - startedAt,
        emulatedNow: new Date(clock.now()).toISOString(),
        timeScale: clock.timeScale,
      }),
      billing,
      faults,
      advance,
      summary,
      calls: () => calls.report(),
      sshCaPublicKey: () => sshCaPublicKeyLine(live),
      instanceEndpoints: async (region, name, until) => {
        if (!runtime) {
          return {
            error: `This lightsail-local runs no processes for its instances (its instance runtime is off), so '${name}' has no sshd or code-server to reach. The sandbox account turns it on once code-server is installed: run "porthole sandbox install".`,
          };
        }
        live.settle(clock.now());
        runtime.instances.reconcile();
        return runtime.instances.endpoints(region, name, until ?? 'all');
      },
      caller,
      idleWarning: async (region, name, minutes) => {
        if (!runtime) return { error: `This lightsail-local runs no processes for its instances (its instance runtime is off), so '${name}' has no idle agent.` };
        live.settle(clock.now());
        return runtime.instances.idleWarning(region, name, minutes);
      },
    }),
  });
  server.listen(options.port ?? 0, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const port = (server.address() as AddressInfo).port;
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const existingInstance = (region: string, name: string) => {
    const instance = data.regions[region]?.instances[name];
    if (!instance) throw new Error(`No instance named ${name} in ${region}`);
    return instance;
  };

  let closed: Promise<void> | undefined;
  return {
    endpoint,
    identityEndpoint: identity.url,
    host,
    port,
    faults,
    advance,
    now: () => clock.now(),
    billing,
    summary,
    calls: () => calls.report(),
    sshCaPublicKey: () => sshCaPublicKeyLine(live),
    hostKeys: async (instanceName, region = 'us-east-1') => {
      const keys = await instanceHostKeys(live, existingInstance(region, instanceName), clock.now());
      return keys.map(({ algorithm, privateKeyPem, publicKey }) => ({ algorithm, privateKeyPem, publicKey }));
    },
    userData: (instanceName, region = 'us-east-1') => existingInstance(region, instanceName).userData,
    flush: () => store.flush(),
    close: () => {
      closed ??= (async () => {
        if (runtimeTimer) clearInterval(runtimeTimer);
        await runtime?.close();
        await identity.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.flush();
      })();
      return closed;
    },
  };
}

async function openRuntime(
  account: Account,
  options: NonNullable<EmulatorOptions['instanceRuntime']>,
  stateFile: string | undefined,
  callerAddress: (socketAddress: string) => string,
  identityEndpoint: string,
): Promise<{ instances: InstanceRuntime; close(): Promise<void> }> {
  const temporary = options.dir === undefined && stateFile === undefined ? await mkdtemp(join(tmpdir(), 'lightsail-local-instances-')) : undefined;
  const dir = options.dir ?? temporary ?? join(dirname(stateFile!), 'instances');
  const instances = new InstanceRuntime(account, {
    dir,
    ...(options.codeServer ? { codeServer: options.codeServer } : {}),
    ...(options.sshd ? { sshd: options.sshd } : {}),
    ...(options.startOnDemand ? { startOnDemand: true } : {}),
    ...(options.provisionMs !== undefined ? { provisionMs: options.provisionMs } : {}),
    ...(options.bootMs !== undefined ? { bootMs: options.bootMs } : {}),
    callerAddress,
    identityEndpoint,
  });
  await instances.sweep();
  return {
    instances,
    close: async () => {
      await instances.close();
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  };
}
