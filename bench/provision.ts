import { BUILTIN_LAYERS } from '../src/core/provision/builtin-layers.js';
import { buildLaunchScript, type LaunchScriptInput } from '../src/core/provision/launch-script.js';
import { packedStub, USER_DATA_LIMIT_BYTES } from '../src/core/provision/user-data-packing.js';
import { hashPassword } from '../src/core/secrets/password.js';
import { bakedSteps, imageOf as imageFromSnapshot, imageTags } from '../src/core/workspaces/images.js';
import { median, percentile, report } from './support/stats.js';

/**
 * Launch script generation: every built-in layer against base alone, both
 * timed in the same run (the machine is shared and noisy, so the ratio is
 * the figure to watch), and the sizes against Lightsail's 16 KB of user data.
 */
const RUNS = 400;
const WARM_UP = 50;

function time(input: LaunchScriptInput): number[] {
  for (let i = 0; i < WARM_UP; i++) buildLaunchScript(input);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    buildLaunchScript(input);
    samples.push(performance.now() - started);
  }
  return samples;
}

const passwordHash = await hashPassword('benchmark only, never a workspace password');
const all = BUILTIN_LAYERS.map((layer) => layer.name);
const base: LaunchScriptInput = { passwordHash, accessMode: 'tunnel', idleTimeoutMinutes: 60, layers: ['base'] };
const full: LaunchScriptInput = { ...base, accessMode: 'direct', layers: all };

// Interleaved halves, so drift in the machine's speed hits both alike.
const baseSamples = [...time(base), ...time(base)];
const fullSamples = [...time(full), ...time(full)];
const baseBuilt = buildLaunchScript(base);
const fullBuilt = buildLaunchScript(full);
const us = (milliseconds: number) => `${(milliseconds * 1000).toFixed(0)} µs`;
const kb = (bytes: number) => `${bytes} B (${((bytes / USER_DATA_LIMIT_BYTES) * 100).toFixed(0)}% of ${USER_DATA_LIMIT_BYTES})`;

report(`launch script generation, median of ${RUNS * 2} runs each`, {
  'base alone (baseline)': us(median(baseSamples)),
  [`all built-in layers (${all.join(', ')})`]: us(median(fullSamples)),
  'all / base': `${(median(fullSamples) / median(baseSamples)).toFixed(2)}x`,
  'all built-in layers p95': us(percentile(fullSamples, 95)),
});
report('launch script size against the user data limit', {
  'base alone': kb(Buffer.byteLength(baseBuilt.script)),
  'all built-in layers': kb(Buffer.byteLength(fullBuilt.script)),
  'all built-in layers as user data': `${kb(Buffer.byteLength(fullBuilt.userData))}${fullBuilt.compressed ? ', compressed' : ', as is'}`,
  'all built-in layers in the compressed form': kb(Buffer.byteLength(packedStub(fullBuilt.script))),
  'steps, all built-in layers': fullBuilt.steps.length,
});

// A workspace made from a baked image runs only the steps the image has not
// done. Counted from the same step digests the launch script's runner uses;
// the sandbox cannot time this (lightsail-local simulates durations and does
// not run launch scripts), so the figure is the work left, not seconds.
const developerOnly = buildLaunchScript({ ...base, layers: ['developer'] });
const imageOf = (environment: typeof developerOnly.environment) => {
  const tags = imageTags('bench', environment);
  return imageFromSnapshot({ name: 'bench', region: 'us-east-1', state: 'available', sizeInGb: 60, fromInstanceName: 'bench', fromBundleId: 'small_3_0', fromBlueprintId: 'ubuntu_24_04', createdAt: new Date(0), tags: { ...tags, 'porthole:managed': 'true' }, arn: 'arn:bench' });
};
const sameImage = imageOf(fullBuilt.environment);
const olderImage = imageOf(developerOnly.environment);
const fromSame = sameImage ? bakedSteps(sameImage, fullBuilt.steps) : undefined;
const fromOlder = olderImage ? bakedSteps(olderImage, fullBuilt.steps) : undefined;
report('create from an image against create from layers (all built-in layers; step counts, not simulated seconds)', {
  'steps run, from layers (baseline)': fullBuilt.steps.length,
  'steps run, from an image of the same layers': fromSame?.run.length ?? 'n/a',
  'steps run, from an image of base + developer': fromOlder?.run.length ?? 'n/a',
  'same image / layers': fromSame ? `${(fromSame.run.length / fullBuilt.steps.length).toFixed(2)}x` : 'n/a',
  'older image / layers': fromOlder ? `${(fromOlder.run.length / fullBuilt.steps.length).toFixed(2)}x` : 'n/a',
});
