import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { Layer, LayerFile } from './layer.js';
import { LayerProblemsError, type LayerProblem } from './layer-problems.js';

/** A layer to compose, with the label problems name it by (its file, or "built-in layer x"). */
export interface ComposableLayer {
  layer: Layer;
  label: string;
}

export interface ComposedStep {
  layer: string;
  name: string;
  run: string;
}

export interface ComposedFile extends LayerFile {
  /** The last layer that wrote this path: its content wins, and it is written in that layer's turn. */
  layer: string;
}

/** Layers flattened: what the launch script is made from. Equal inputs give an equal value. */
export interface ComposedEnvironment {
  /** Every layer applied, in order: each after the layers it extends, each once. */
  layers: string[];
  /** SHA-256 of each layer's content; a changed layer re-runs its steps. */
  layerDigests: Record<string, string>;
  /** Each layer's own packages not already asked for by an earlier layer. */
  apt: Record<string, string[]>;
  steps: ComposedStep[];
  files: ComposedFile[];
  env: Record<string, string>;
  extensions: string[];
  settings: Record<string, unknown>;
  dotfiles?: { repo: string; install?: string };
  idleTimeoutMinutes?: number;
  /** Every layer's declared ports, each once, in first-seen order. */
  ports: number[];
}

/**
 * Resolves `requested` and everything it extends, depth first and in
 * order, then merges: lists keep their first-seen order without repeats;
 * env, settings and files at the same path take the later layer's value.
 * All problems (unknown layers, cycles) are reported together.
 */
export function composeLayers(
  requested: readonly string[],
  catalog: ReadonlyMap<string, ComposableLayer>,
  requestLabel = 'the requested layers',
  /** Layers applied first whether asked for or not (base). */
  implicit: readonly string[] = [],
): ComposedEnvironment {
  const order: Layer[] = [];
  const done = new Set<string>();
  const problems: LayerProblem[] = [];
  const reported = new Set<string>();

  const report = (problem: LayerProblem) => {
    const key = `${problem.file}|${problem.path}|${problem.message}`;
    if (!reported.has(key)) problems.push(problem);
    reported.add(key);
  };

  const visit = (name: string, chain: string[], from: { file: string; path: string }) => {
    const loopStart = chain.indexOf(name);
    if (loopStart >= 0) {
      const cycle = [...chain.slice(loopStart), name].join(' -> ');
      report({ file: from.file, path: from.path, message: `Layers extend each other in a cycle: ${cycle}.`, fix: `Remove one of the extends in the cycle ${cycle}.` });
      return;
    }
    if (done.has(name)) return;
    const entry = catalog.get(name);
    if (!entry) {
      const known = [...catalog.keys()].sort();
      report({ file: from.file, path: from.path, message: `There is no layer named "${name}".`, fix: `Use one of ${known.map((k) => `"${k}"`).join(', ')}, or add ${name}.json to your layers folder.` });
      return;
    }
    chain.push(name);
    (entry.layer.extends ?? []).forEach((parent, index) => visit(parent, chain, { file: entry.label, path: `$.extends[${index}]` }));
    chain.pop();
    done.add(name);
    order.push(entry.layer);
  };

  implicit.forEach((name) => visit(name, [], { file: 'the layers every workspace has', path: '$' }));
  requested.forEach((name, index) => visit(name, [], { file: requestLabel, path: `[${index}]` }));
  if (problems.length > 0) throw new LayerProblemsError(problems);
  return merge(order);
}

function merge(order: readonly Layer[]): ComposedEnvironment {
  const aptSeen = new Set<string>();
  const apt: Record<string, string[]> = {};
  const files = new Map<string, ComposedFile>();
  const env: Record<string, string> = {};
  const extensions: string[] = [];
  const extensionsSeen = new Set<string>();
  const settings: Record<string, unknown> = {};
  const composed: ComposedEnvironment = { layers: [], layerDigests: {}, apt, steps: [], files: [], env, extensions, settings, ports: [] };

  for (const layer of order) {
    composed.layers.push(layer.name);
    composed.layerDigests[layer.name] = layerDigest(layer);
    apt[layer.name] = (layer.apt ?? []).filter((name) => !aptSeen.has(name) && aptSeen.add(name));
    for (const step of layer.steps ?? []) composed.steps.push({ layer: layer.name, name: step.name, run: step.run });
    for (const file of layer.files ?? []) {
      // Delete first so an overridden file moves to the overriding layer's turn.
      files.delete(file.path);
      files.set(file.path, { ...file, layer: layer.name });
    }
    assignOwn(env, layer.env ?? {});
    for (const id of layer.codeServer?.extensions ?? []) {
      // Open VSX ids are case-insensitive.
      if (!extensionsSeen.has(id.toLowerCase())) extensions.push(id);
      extensionsSeen.add(id.toLowerCase());
    }
    assignOwn(settings, layer.codeServer?.settings ?? {});
    if (layer.dotfiles) composed.dotfiles = { ...layer.dotfiles };
    if (layer.idleTimeoutMinutes !== undefined) composed.idleTimeoutMinutes = layer.idleTimeoutMinutes;
    for (const port of layer.ports ?? []) if (!composed.ports.includes(port)) composed.ports.push(port);
  }
  composed.files = [...files.values()];
  return composed;
}

/** Declared ports change what this computer forwards, not the box: a change to them re-runs no step and keeps images current. */
function layerDigest(layer: Layer): string {
  const { ports: _forwardedOnly, ...onTheBox } = layer;
  return sha256Hex(canonicalJson(onTheBox));
}

/** Like Object.assign, but a key such as "__proto__" from a parsed file stays a plain key. */
function assignOwn(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}
