import type { Layer } from './layer.js';
import type { LayerProblem } from './layer-problems.js';
import { LAYER_SPEC } from './layer-schema.js';
import { validateAgainst } from './schema-spec.js';

export interface ParsedLayer {
  layer?: Layer;
  problems: LayerProblem[];
}

/**
 * Reads one layer file's text. `expectedName` is the file name without
 * `.json`: a layer is found by the name of its file, so the two must agree.
 */
export function parseLayerFile(text: string, file: string, expectedName?: string): ParsedLayer {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, path: '$', message: `This is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, fix: 'Correct the JSON syntax.' }] };
  }
  return checkLayer(document, file, expectedName);
}

export function checkLayer(document: unknown, file: string, expectedName?: string): ParsedLayer {
  const problems: LayerProblem[] = validateAgainst(LAYER_SPEC, document).map((problem) => ({ file, ...problem }));
  const layer = document as Layer;
  if (problems.length === 0) {
    if (expectedName !== undefined && layer.name !== expectedName) {
      problems.push({ file, path: '$.name', message: `The layer is named "${layer.name}" but its file is ${expectedName}.json.`, fix: `Rename the file to ${layer.name}.json or set "name": "${expectedName}".` });
    }
    if (layer.extends?.includes(layer.name)) {
      problems.push({ file, path: '$.extends', message: `"${layer.name}" extends itself (cycle: ${layer.name} -> ${layer.name}).`, fix: `Remove "${layer.name}" from its own extends.` });
    }
    problems.push(...repeatedNames(layer, file));
  }
  return problems.length === 0 ? { layer, problems } : { problems };
}

/** Step names and file paths identify what a re-run skips and what a later layer replaces, so they are unique within a layer. */
function repeatedNames(layer: Layer, file: string): LayerProblem[] {
  const problems: LayerProblem[] = [];
  const repeated = (values: string[], field: string, key: string, what: string) => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (seen.has(value)) problems.push({ file, path: `$.${field}[${index}].${key}`, message: `The ${what} "${value}" appears twice in this layer.`, fix: `Merge the two into one ${what}, or rename one.` });
      seen.add(value);
    });
  };
  repeated((layer.steps ?? []).map((step) => step.name), 'steps', 'name', 'step');
  repeated((layer.files ?? []).map((f) => f.path), 'files', 'path', 'file');
  return problems;
}
