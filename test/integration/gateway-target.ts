import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { GatewayOptions } from '../../src/core/cloud/gateway-calls.js';
import type { LightsailGateway } from '../../src/core/cloud/lightsail-gateway.js';
import type { Operation } from '../../src/core/cloud/model.js';
import { isPortholeManaged } from '../../src/core/cloud/porthole-tags.js';
import { type ErrorKind, PortholeError } from '../../src/core/errors.js';
import type { LightsailAccount } from '../../src/core/cloud/lightsail-client.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { SANDBOX_CREDENTIALS } from '../../src/emulator/sandbox-credentials.js';

/**
 * Where the gateway suite runs: the emulator by default, live AWS on request.
 * Every resource a run creates starts with `prefix`, so a live run can find
 * and remove exactly its own leftovers.
 */
export interface GatewayTarget {
  kind: 'emulator' | 'aws';
  account: LightsailAccount;
  regions: [string, string, string, string];
  bundleId: string;
  blueprintId: string;
  prefix: string;
  /** Firewall source used in the port rules: the emulator is loopback-only. */
  cidr: string;
  options: GatewayOptions;
  /** Only on the emulator: fault injection and the clock. */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

export const LIVE_AWS = process.env.PORTHOLE_LIVE_AWS === '1' && Boolean(process.env.AWS_PROFILE);
export const LIVE_AWS_SKIP_REASON =
  'gateway suite against live AWS skipped: set PORTHOLE_LIVE_AWS=1 and AWS_PROFILE=<profile> to run it (it creates and then deletes porthole-test-* resources, which costs a few cents)';

const FOUR_REGIONS: GatewayTarget['regions'] = ['us-east-1', 'eu-west-2', 'ap-south-1', 'ca-central-1'];

const runId = () => randomBytes(3).toString('hex');

/** A fast emulator: one emulated minute passes in 10 ms, and lists page every 2 items. */
export async function emulatorTarget(): Promise<GatewayTarget> {
  const emulator = await startEmulator({ port: 0, timeScale: 6_000, pageSize: 2, seed: 7 });
  return {
    kind: 'emulator',
    account: { region: 'us-east-1', credentials: async () => ({ ...SANDBOX_CREDENTIALS }), endpoint: emulator.endpoint },
    regions: FOUR_REGIONS,
    bundleId: 'micro_3_0',
    blueprintId: 'ubuntu_22_04',
    prefix: `porthole-test-${runId()}`,
    cidr: '127.0.0.1/32',
    options: {
      retryPolicy: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 40 },
      waitTiming: { pollIntervalMs: 20, timeoutMs: 20_000, visibilityGraceMs: 5_000 },
      settleMs: 10_000,
    },
    emulator,
    close: () => emulator.close(),
  };
}

export async function liveAwsTarget(): Promise<GatewayTarget> {
  return {
    kind: 'aws',
    account: { region: 'us-east-1', credentials: fromNodeProviderChain({ profile: process.env.AWS_PROFILE }) },
    regions: FOUR_REGIONS,
    bundleId: process.env.PORTHOLE_LIVE_BUNDLE ?? 'nano_3_0',
    blueprintId: process.env.PORTHOLE_LIVE_BLUEPRINT ?? 'ubuntu_22_04',
    prefix: `porthole-test-${runId()}`,
    cidr: '203.0.113.0/24',
    options: { waitTiming: { pollIntervalMs: 5_000, timeoutMs: 15 * 60_000 } },
    close: async () => {},
  };
}

/** The PortholeError a call fails with; a success fails the test. */
export async function failure(call: Promise<unknown>): Promise<PortholeError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof PortholeError) return error;
    throw error;
  }
  throw new Error('the call succeeded; a failure was expected');
}

/** An AWS error as the gateway gives it to the user: its kind, what could not be done, a fix, and the request id. */
export function expectMapped(error: PortholeError, kind: ErrorKind, what: RegExp): void {
  expect(error.kind, error.message).toBe(kind);
  expect(error.message).toMatch(/^Could not /);
  expect(error.message).toMatch(what);
  expect(error.fix).toBeTruthy();
  expect(error.requestId).toBeTruthy();
  expect(error.message).toContain(`(AWS request id ${error.requestId})`);
}

/** Deletes what this run created and a failed test left behind: only `prefix` names, and only tagged instances and snapshots. */
export async function removeLeftovers(gateway: LightsailGateway, target: GatewayTarget): Promise<void> {
  const ours = (resource: { name: string; tags: Record<string, string> }) =>
    resource.name.startsWith(target.prefix) && isPortholeManaged(resource.tags);
  const finish = async (ops: Promise<Operation[]>) => gateway.waitForOperations(await ops);
  for (const region of target.regions) {
    // Each step goes on when another fails, so one stuck resource cannot leave the rest behind.
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      await step().catch((error) => console.warn(`cleanup of ${what} in ${region}: ${String(error)}`));
    };
    await attempt('static IPs', async () => {
      for (const ip of await gateway.listStaticIps(region)) {
        if (!ip.name.startsWith(target.prefix)) continue;
        if (ip.isAttached) await attempt(ip.name, () => finish(gateway.detachStaticIp(region, ip.name)));
        await attempt(ip.name, () => gateway.releaseStaticIp(region, ip.name));
      }
    });
    await attempt('instances', async () => {
      const instances = (await gateway.listInstances(region)).filter(ours);
      await Promise.all(instances.map((i) => attempt(i.name, () => finish(gateway.deleteInstance(region, i.name)))));
    });
    await attempt('snapshots', async () => {
      for (const snapshot of (await gateway.listSnapshots(region)).filter(ours)) {
        await attempt(snapshot.name, () => gateway.deleteSnapshot(region, snapshot.name));
      }
    });
  }
}
