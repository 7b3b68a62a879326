import { describe, expect, it } from 'vitest';
import type { Layer } from './layer.js';
import { builtinCatalog, composable } from './layer-catalog.js';
import { composeLayers } from './layer-composition.js';
import { layerProvisionSteps } from './provision-steps.js';

function stepsFor(extra: Layer) {
  const catalog = composable(builtinCatalog());
  catalog.set(extra.name, { layer: extra, label: `${extra.name}.json` });
  return layerProvisionSteps(composeLayers([extra.name], catalog, '--layers', ['base']));
}

const digests = (steps: ReturnType<typeof stepsFor>) => new Map(steps.map((step) => [step.name, step.digest]));

describe('provision steps', () => {
  const tools: Layer = { name: 'tools', description: 'tools', extends: ['developer'], apt: ['jq'], steps: [{ name: 'hello', run: 'echo hello' }] };

  it('gives each layer its packages, steps and files in turn, each keyed by a SHA-256 digest', () => {
    const steps = stepsFor({ ...tools, files: [{ path: '/opt/tools/readme', content: 'hi\n' }] });
    expect(steps.map((s) => s.name)).toEqual([
      'base: packages',
      'base: create the workspace user',
      'base: install code-server',
      'base: add the code-server service',
      'base: turn on unattended security upgrades',
      'base: install the idle agent',
      'developer: packages',
      'developer: install Node.js 22 LTS',
      'tools: packages',
      'tools: hello',
      'tools: files',
      'code-server settings',
      'code-server extensions',
    ]);
    for (const step of steps) expect(step.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(steps.map((s) => s.digest)).size).toBe(steps.length);
  });

  it('re-runs the steps of a changed layer and of what spans layers, and nothing of the layers below', () => {
    const before = digests(stepsFor(tools));
    const after = digests(stepsFor({ ...tools, description: 'tools, now with more' }));
    for (const [name, digest] of before) {
      if (name.startsWith('tools: ') || !name.includes(': ')) expect(after.get(name), name).not.toBe(digest);
      else expect(after.get(name), name).toBe(digest);
    }
  });

  it('gives the same digests for the same layers', () => {
    expect(digests(stepsFor(tools))).toEqual(digests(stepsFor(structuredClone(tools))));
  });
});
