import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Layer } from './layer.js';
import { builtinCatalog, composable } from './layer-catalog.js';
import { composeLayers, type ComposableLayer } from './layer-composition.js';
import { LayerProblemsError } from './layer-problems.js';
import { environmentDigest } from './provision-steps.js';

function catalogOf(...layers: Layer[]): Map<string, ComposableLayer> {
  return new Map(layers.map((layer) => [layer.name, { layer, label: `${layer.name}.json` }]));
}

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof LayerProblemsError) return error.problems;
    throw error;
  }
  throw new Error('expected layer problems');
}

const layer = (name: string, rest: Partial<Layer> = {}): Layer => ({ name, description: name, ...rest });

describe('composing layers', () => {
  it('applies each layer after the layers it extends, depth first, each once', () => {
    const env = composeLayers(['admin'], composable(builtinCatalog()), '--layers', ['base']);
    expect(env.layers).toEqual(['base', 'developer', 'aws', 'devops', 'admin']);
    const diamond = catalogOf(layer('a'), layer('b', { extends: ['a'] }), layer('c', { extends: ['a'] }), layer('d', { extends: ['c', 'b'] }));
    expect(composeLayers(['d'], diamond).layers).toEqual(['a', 'c', 'b', 'd']);
  });

  it('merges lists without repeats in first-seen order; later layers win for env, settings and files', () => {
    const env = composeLayers(
      ['two'],
      catalogOf(
        layer('one', {
          apt: ['git', 'curl'],
          env: { A: '1', B: '1' },
          files: [{ path: '/opt/x', content: 'one' }, { path: '/opt/y', content: 'one' }],
          codeServer: { extensions: ['a.one', 'b.two'], settings: { 'editor.tabSize': 2, 'files.eol': '\n' } },
          dotfiles: { repo: 'https://example.com/one.git' },
          idleTimeoutMinutes: 30,
          ports: [8888, 3000],
        }),
        layer('two', {
          extends: ['one'],
          apt: ['curl', 'jq', 'git'],
          env: { B: '2' },
          files: [{ path: '/opt/x', content: 'two', mode: '0600' }],
          codeServer: { extensions: ['B.TWO', 'c.three'], settings: { 'editor.tabSize': 4 } },
          dotfiles: { repo: 'https://example.com/two.git' },
          ports: [3000, 5173],
        }),
      ),
    );
    expect(env.apt).toEqual({ one: ['git', 'curl'], two: ['jq'] });
    expect(env.env).toEqual({ A: '1', B: '2' });
    expect(env.files).toEqual([
      { path: '/opt/y', content: 'one', layer: 'one' },
      { path: '/opt/x', content: 'two', mode: '0600', layer: 'two' },
    ]);
    expect(env.extensions).toEqual(['a.one', 'b.two', 'c.three']);
    expect(env.settings).toEqual({ 'editor.tabSize': 4, 'files.eol': '\n' });
    expect(env.dotfiles).toEqual({ repo: 'https://example.com/two.git' });
    expect(env.idleTimeoutMinutes).toBe(30);
    expect(env.ports).toEqual([8888, 3000, 5173]);
  });

  it('keeps a layer digest, and so its steps and the images that hold it, when only its declared ports change', () => {
    const digests = (ports?: number[]) => composeLayers(['a'], catalogOf(layer('a', { apt: ['git'], ...(ports ? { ports } : {}) })));
    expect(digests([3000]).layerDigests).toEqual(digests().layerDigests);
    expect(environmentDigest(digests([3000]))).toBe(environmentDigest(digests()));
    expect(digests().layerDigests).not.toEqual(composeLayers(['a'], catalogOf(layer('a', { apt: ['curl'] }))).layerDigests);
  });

  it('keeps a "__proto__" setting as a plain setting', () => {
    const settings = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const env = composeLayers(['a'], catalogOf(layer('a', { codeServer: { settings } })));
    expect(Object.keys(env.settings)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names an unknown layer where it is asked for, with the layers there are', () => {
    const problems = problemsOf(() => composeLayers(['a', 'ghost'], catalogOf(layer('a', { extends: ['base', 'missing'] }), layer('base')), '--layers'));
    expect(problems).toEqual([
      { file: 'a.json', path: '$.extends[1]', message: 'There is no layer named "missing".', fix: 'Use one of "a", "base", or add missing.json to your layers folder.' },
      { file: '--layers', path: '[1]', message: 'There is no layer named "ghost".', fix: 'Use one of "a", "base", or add ghost.json to your layers folder.' },
    ]);
  });

  it('shows a cycle as the chain of layers that makes it', () => {
    const problems = problemsOf(() => composeLayers(['a'], catalogOf(layer('a', { extends: ['b'] }), layer('b', { extends: ['c'] }), layer('c', { extends: ['a'] }))));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'c.json', path: '$.extends[0]', message: 'Layers extend each other in a cycle: a -> b -> c -> a.' });
  });

  it('reports a cycle once however it is reached', () => {
    const catalog = catalogOf(layer('a', { extends: ['b'] }), layer('b', { extends: ['a'] }));
    expect(problemsOf(() => composeLayers(['a', 'b', 'a'], catalog))).toHaveLength(1);
  });
});

/** Random acyclic catalogs: layer i may only extend layers with a smaller index. */
const acyclicCatalog = fc
  .integer({ min: 1, max: 8 })
  .chain((count) =>
    fc.tuple(
      ...Array.from({ length: count }, (_, i) =>
        fc.record({
          extends: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 3 }),
          apt: fc.uniqueArray(fc.constantFrom('git', 'curl', 'jq', 'htop', 'tmux', 'vim'), { maxLength: 4 }),
          env: fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.string({ maxLength: 3 })),
          files: fc.uniqueArray(fc.record({ path: fc.constantFrom('/opt/a', '/opt/b', '/opt/c'), content: fc.string({ maxLength: 4 }) }), { selector: (f) => f.path, maxLength: 2 }),
        }),
      ),
    ),
  )
  .map((specs) => specs.map((spec, i) => layer(`l${i}`, { ...spec, extends: spec.extends.map((j) => `l${j}`) })));

describe('composition properties', () => {
  it('is deterministic: the same request gives the same result, whatever order the catalog was built in', () => {
    fc.assert(
      fc.property(acyclicCatalog, fc.infiniteStream(fc.nat()), (layers, noise) => {
        const requested = layers.filter((_, i) => i % 2 === 0).map((l) => l.name);
        const shuffled = [...layers].sort(() => (noise.next().value % 3) - 1);
        const first = composeLayers(requested, catalogOf(...layers));
        expect(composeLayers(requested, catalogOf(...shuffled))).toEqual(first);
        expect(JSON.stringify(composeLayers(requested, catalogOf(...layers)))).toBe(JSON.stringify(first));
      }),
    );
  });

  it('respects order: every layer after what it extends, requested layers in the order asked, each once', () => {
    fc.assert(
      fc.property(acyclicCatalog, (layers) => {
        const requested = [...layers].reverse().map((l) => l.name);
        const env = composeLayers(requested, catalogOf(...layers));
        expect(new Set(env.layers).size).toBe(env.layers.length);
        for (const name of env.layers) {
          const own = layers.find((l) => l.name === name)!;
          for (const parent of own.extends ?? []) expect(env.layers.indexOf(parent)).toBeLessThan(env.layers.indexOf(name));
        }
        for (let i = 0; i < requested.length; i++) {
          for (let j = i + 1; j < requested.length; j++) {
            const later = requested[j]!;
            // A later request comes after an earlier one unless something asked before it already pulled it in.
            const pulledInEarlier = requested.slice(0, i + 1).some((earlier) => earlier === later || dependsOn(layers, earlier, later));
            if (!pulledInEarlier) expect(env.layers.indexOf(requested[i]!)).toBeLessThan(env.layers.indexOf(later));
          }
        }
      }),
    );
  });

  it('merges apt packages as the first-seen order of the concatenation, and env as last-wins', () => {
    fc.assert(
      fc.property(acyclicCatalog, (layers) => {
        const env = composeLayers(layers.map((l) => l.name), catalogOf(...layers));
        const ordered = env.layers.map((name) => layers.find((l) => l.name === name)!);
        const concatenated = ordered.flatMap((l) => l.apt ?? []);
        expect(Object.values(env.apt).flat()).toEqual([...new Set(concatenated)]);
        expect(env.env).toEqual(Object.assign({}, ...ordered.map((l) => l.env ?? {})));
        for (const file of env.files) expect(file.content).toBe(ordered.filter((l) => l.files?.some((f) => f.path === file.path)).at(-1)!.files!.find((f) => f.path === file.path)!.content);
      }),
    );
  });
});

function dependsOn(layers: Layer[], name: string, target: string): boolean {
  const own = layers.find((l) => l.name === name);
  return (own?.extends ?? []).some((parent) => parent === target || dependsOn(layers, parent, target));
}
