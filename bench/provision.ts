import { BUILTIN_LAYERS } from '../src/core/provision/builtin-layers.js';
import { buildLaunchScript, type LaunchScriptInput } from '../src/core/provision/launch-script.js';
import { packedStub, USER_DATA_LIMIT_BYTES } from '../src/core/provision/user-data-packing.js';
import { hashPassword } from '../src/core/secrets/password.js';
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
