import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { BUILTIN_LAYERS } from './builtin-layers.js';
import type { CatalogEntry, Layer, LayerSource } from './layer.js';
import type { ComposableLayer } from './layer-composition.js';
import { LayerProblemsError, type LayerProblem } from './layer-problems.js';
import { parseLayerFile } from './layer-validation.js';

export interface LayerFolders {
  /** Porthole's settings folder; user layers live in its `layers/`. */
  dataDir?: string;
  /** A project folder; its layers live in `.porthole/`. */
  projectDir?: string;
}

export function userLayersDir(dataDir: string): string {
  return join(dataDir, 'layers');
}

export function projectLayersDir(projectDir: string): string {
  return join(projectDir, '.porthole');
}

/** `dir` as an absolute path when it has a `.porthole/` layers folder; otherwise there is no project to remember. */
export async function projectWithLayers(dir: string): Promise<string | undefined> {
  const absolute = resolve(dir);
  const found = await stat(projectLayersDir(absolute)).catch(() => undefined);
  return found?.isDirectory() ? absolute : undefined;
}

export function sourceLabel(name: string, source: LayerSource): string {
  return source.file ?? `built-in layer ${name}`;
}

/** The built-in layers only: what a launch script needs when no folders are involved. */
export function builtinCatalog(): Map<string, CatalogEntry> {
  return new Map(BUILTIN_LAYERS.map((layer) => [layer.name, { layer, source: { kind: 'built-in' }, overrides: [] }]));
}

/**
 * Built-in, then user, then project layers; a later source replaces an
 * earlier layer of the same name. Every file is checked, and all problems
 * are reported together.
 */
export async function loadLayerCatalog(folders: LayerFolders): Promise<Map<string, CatalogEntry>> {
  const catalog = builtinCatalog();
  const problems: LayerProblem[] = [];
  const sources: Array<[LayerSource['kind'], string | undefined]> = [
    ['user', folders.dataDir ? userLayersDir(folders.dataDir) : undefined],
    ['project', folders.projectDir ? projectLayersDir(folders.projectDir) : undefined],
  ];
  for (const [kind, dir] of sources) {
    if (!dir) continue;
    for (const file of await layerFiles(dir)) {
      const parsed = parseLayerFile(await readFile(file, 'utf8'), file, basename(file, '.json'));
      problems.push(...parsed.problems);
      if (!parsed.layer) continue;
      add(catalog, parsed.layer, { kind, file });
    }
  }
  if (problems.length > 0) throw new LayerProblemsError(problems);
  return catalog;
}

function add(catalog: Map<string, CatalogEntry>, layer: Layer, source: LayerSource): void {
  const earlier = catalog.get(layer.name);
  catalog.set(layer.name, { layer, source, overrides: earlier ? [...earlier.overrides, earlier.source] : [] });
}

/** A folder's *.json files in name order; a missing folder has none. */
async function layerFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function composable(catalog: ReadonlyMap<string, CatalogEntry>): Map<string, ComposableLayer> {
  return new Map([...catalog].map(([name, entry]) => [name, { layer: entry.layer, label: sourceLabel(name, entry.source) }]));
}
