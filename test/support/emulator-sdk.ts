import { CreateInstancesCommand, GetInstanceCommand, type Instance, LightsailClient } from '@aws-sdk/client-lightsail';
import { afterAll } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, SANDBOX_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';

/** Starts lightsail-local in this process (seed 7 unless told), each one closed after the suite that started it. */
export function emulatorsForSuite(): (options?: EmulatorOptions) => Promise<RunningEmulator> {
  const started: RunningEmulator[] = [];
  afterAll(async () => {
    await Promise.all(started.map((e) => e.close()));
  });
  return async (options = {}) => {
    const emu = await startEmulator({ seed: 7, ...options });
    started.push(emu);
    return emu;
  };
}

/** The AWS SDK's Lightsail client against an emulator, with no retries, so each call is one request. */
export function sdkClient(emu: RunningEmulator, region = 'us-east-1', credentials: { accessKeyId: string; secretAccessKey: string } = SANDBOX_CREDENTIALS): LightsailClient {
  return new LightsailClient({ region, endpoint: emu.endpoint, credentials, maxAttempts: 1 });
}

/** CreateInstances for one instance in us-east-1a: Ubuntu 24.04 on nano_3_0 unless told. */
export async function createInstance(lightsail: LightsailClient, name: string, extra: Partial<{ bundleId: string; blueprintId: string; userData: string }> = {}) {
  return lightsail.send(
    new CreateInstancesCommand({
      instanceNames: [name],
      availabilityZone: 'us-east-1a',
      blueprintId: extra.blueprintId ?? 'ubuntu_24_04',
      bundleId: extra.bundleId ?? 'nano_3_0',
      ...(extra.userData ? { userData: extra.userData } : {}),
    }),
  );
}

export async function instanceNamed(lightsail: LightsailClient, name: string): Promise<Instance> {
  const { instance: found } = await lightsail.send(new GetInstanceCommand({ instanceName: name }));
  if (!found) throw new Error(`no instance ${name}`);
  return found;
}
