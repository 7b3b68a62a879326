import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortholeError } from '../../src/core/errors.js';
import { unpackUserData } from '../../src/emulator/runtime/launch-config.js';
import { buildEngine, startEngineFixture, TEST_REGION, type EngineFixture } from '../support/engine-fixture.js';

/** The digest and name of every step the launch script runs, in order. */
function stepsOf(userData: string): Array<{ name: string; digest: string }> {
  return [...unpackUserData(userData).matchAll(/^run_step \d+ '([^']+)' '([0-9a-f]*)' step_\d+$/gm)].map((m) => ({ name: m[1]!, digest: m[2]! }));
}

/**
 * Layers reach the instance, and a baked image carries them to the next
 * workspace: through the engine, the AWS SDK and lightsail-local.
 */
describe('layers, baking and creating from an image', () => {
  let fx: EngineFixture;

  beforeAll(async () => {
    fx = await startEngineFixture();
  });
  afterAll(() => fx.close());

  it('refuses an unknown layer before any cloud call, making nothing', async () => {
    const error = await fx.engine.create({ name: 'nolayer', layers: ['developer', 'quantum'] }).catch((e: unknown) => e);
    expect(isPortholeError(error, 'usage')).toBe(true);
    expect((error as Error).message).toMatch(/--layers \[1\]: There is no layer named "quantum"\. Use one of "admin", "aws", "base", "developer", "devops"/);
    expect(await fx.gateway.listInstances(TEST_REGION)).toEqual([]);
    expect(fx.settings.get().workspaces).toEqual([]);
  });

  it("puts the workspace's layers, access mode and idle timeout into its launch script", async () => {
    await fx.engine.create({ name: 'devbox', layers: ['developer'], accessMode: 'direct', idleTimeoutMinutes: 45 });
    const script = unpackUserData(fx.emulator.userData('devbox') ?? '');
    const names = stepsOf(script).map((s) => s.name);
    expect(names).toContain('base: packages');
    expect(names).toContain('developer: packages');
    expect(names).not.toContain('devops: packages');
    expect(script).toContain('layers base, developer; direct access');
    expect(script).toContain('bind-addr: 0.0.0.0:8443');
    expect(script).toContain('timeout_minutes=45\n');
    expect(fx.settings.get().workspaces[0]).toMatchObject({ name: 'devbox', layers: ['developer'], accessMode: 'direct', idleTimeoutMinutes: 45 });
  });

  it('bakes a ready workspace into an image listed with its size, monthly cost and layer digests', async () => {
    const image = await fx.engine.bake('devbox', 'dev-image');
    expect(image).toMatchObject({ name: 'dev-image', region: TEST_REGION, state: 'available', fromWorkspace: 'devbox', layers: ['base', 'developer'] });
    expect(image.sizeInGb).toBeGreaterThan(0);
    // Lightsail's snapshot storage: $0.05 per GB-month.
    expect(image.monthlyUsd).toBeCloseTo(image.sizeInGb * 0.05, 2);
    expect(Object.keys(image.layerDigests)).toEqual(['base', 'developer']);
    for (const digest of Object.values(image.layerDigests)) expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await fx.engine.listImages()).toEqual([image]);
    // A baked image is not a hibernation snapshot: the workspace stays ready.
    expect(fx.engine.get('devbox').state).toBe('ready');
    const badName = await fx.engine.bake('devbox', 'Dev_Image').catch((e: unknown) => e);
    expect(isPortholeError(badName, 'usage')).toBe(true);
    expect((badName as Error).message).toMatch(/"Dev_Image" is not an image name/);
  });

  it("creates from the image: the baked layers' steps are the ones the image's disk has done, the new layer's run", async () => {
    const report = await fx.engine.imageSteps('dev-image', ['developer', 'devops']);
    expect(report.skipped).toEqual(expect.arrayContaining(['base: packages', 'developer: packages']));
    expect(report.skipped.some((name) => name.startsWith('devops'))).toBe(false);
    expect(report.run).toEqual(expect.arrayContaining(['aws: install AWS CLI 2.36.11', 'configure code-server']));

    await fx.engine.create({ name: 'fromimage', image: 'dev-image', layers: ['developer', 'devops'] });
    const instance = await fx.gateway.getInstance(TEST_REGION, 'fromimage');
    expect(instance.state).toBe('running');
    const baked = new Set(stepsOf(fx.emulator.userData('devbox') ?? '').map((s) => s.digest).filter((d) => d !== ''));
    const steps = stepsOf(fx.emulator.userData('fromimage') ?? '');
    // The runner skips a step whose marker (steps/<digest>.done) is on the disk: exactly the digests the baked script ran.
    const skippedOnDisk = steps.filter((s) => baked.has(s.digest)).map((s) => s.name);
    expect(skippedOnDisk).toEqual(report.skipped);
    expect(steps.filter((s) => !baked.has(s.digest)).map((s) => s.name)).toEqual(report.run);
  });

  it('creates from the image with its own layers when none are given', async () => {
    await fx.engine.create({ name: 'sameasimage', image: 'dev-image' });
    expect(fx.settings.get().workspaces.find((w) => w.name === 'sameasimage')).toMatchObject({ layers: ['developer'], image: 'dev-image' });
    const report = await fx.engine.imageSteps('dev-image', undefined);
    expect(report.run).toEqual(['configure code-server', 'configure the idle agent', 'start code-server and the idle agent']);
  });

  it('refuses to delete an image a workspace is being created from, and to bake a workspace that is not ready', async () => {
    // An engine that dies (as far as the journal knows) just before it asks Lightsail for the instance.
    const { engine: dying, gateway } = await buildEngine({
      endpoint: fx.emulator.endpoint,
      dataDir: fx.dataDir,
      settings: fx.settings,
      secrets: fx.secrets,
      crashHook: ({ operation, step, phase }) => {
        if (operation === 'create' && step === 2 && phase === 'before') throw new Error('power cut');
      },
    });
    await expect(dying.create({ name: 'halfmade', image: 'dev-image' })).rejects.toThrow('power cut');
    gateway.close();
    const inUse = await fx.engine.deleteImage('dev-image').catch((e: unknown) => e);
    expect(isPortholeError(inUse, 'wrong-state')).toBe(true);
    expect((inUse as Error).message).toMatch(/Image "dev-image" is in use: workspace "halfmade" is being created from it\. Wait until "halfmade" is ready/);
    expect(await fx.engine.listImages()).toHaveLength(1);

    // The failed create shows as an error the user clears by deleting the workspace; then the image is free.
    await fx.engine.refresh();
    expect(fx.engine.get('halfmade').state).toBe('error');
    await fx.engine.delete('halfmade');
    expect(await fx.gateway.findInstance(TEST_REGION, 'halfmade')).toBeUndefined();

    await fx.engine.stop('sameasimage');
    const notReady = await fx.engine.bake('sameasimage', 'stopped-image').catch((e: unknown) => e);
    expect(isPortholeError(notReady, 'wrong-state')).toBe(true);
    expect((notReady as Error).message).toMatch(/Workspace "sameasimage" is stopped; it cannot bake from there/);
  });

  it("refuses a bundle whose disk is smaller than the image's before any call, naming the bundles that fit", async () => {
    const image = (await fx.engine.listImages()).find((i) => i.name === 'dev-image')!;
    const bundles = await fx.gateway.getBundles(TEST_REGION);
    const small = bundles.find((b) => b.isActive && b.diskSizeInGb < image.sizeInGb)!;
    const error = await fx.engine.create({ name: 'toosmall', image: 'dev-image', bundleId: small.id }).catch((e: unknown) => e);
    expect(isPortholeError(error, 'usage')).toBe(true);
    expect((error as Error).message).toContain(`Bundle "${small.id}" has a ${small.diskSizeInGb} GB disk, smaller than the ${image.sizeInGb} GB image "dev-image".`);
    expect((error as { fix?: string }).fix).toContain(`${image.fromBundleId} (`);
    expect((error as { fix?: string }).fix).not.toContain(`${small.id} (`);
    expect(await fx.gateway.findInstance(TEST_REGION, 'toosmall')).toBeUndefined();
    expect(fx.settings.get().workspaces.some((w) => w.name === 'toosmall')).toBe(false);
    expect((await fx.secrets.list()).filter((account) => account.includes('toosmall'))).toEqual([]);
  });

  it('says clearly when an image is missing, and deletes one', async () => {
    const missing = await fx.engine.create({ name: 'ghost', image: 'no-such-image' }).catch((e: unknown) => e);
    expect(isPortholeError(missing, 'not-found')).toBe(true);
    expect((missing as Error).message).toMatch(/There is no image "no-such-image" in us-east-1.*porthole images/);
    expect(await fx.gateway.findInstance(TEST_REGION, 'ghost')).toBeUndefined();

    await fx.engine.deleteImage('dev-image');
    expect(await fx.engine.listImages()).toEqual([]);
    expect(await fx.gateway.findSnapshot(TEST_REGION, 'dev-image')).toBeUndefined();
    const gone = await fx.engine.deleteImage('dev-image').catch((e: unknown) => e);
    expect(isPortholeError(gone, 'not-found')).toBe(true);
  });
});
