// Writes schema/layer.schema.json from the layer spec in code, so editors
// complete and check layer files against exactly what Porthole accepts.
//
//   npx tsx scripts/generate-layer-schema.ts           write it
//   npx tsx scripts/generate-layer-schema.ts --check   exit 1 if it is stale

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerJsonSchema } from '../src/core/provision/layer-schema.js';

export const LAYER_SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'layer.schema.json');

export function layerSchemaText(): string {
  return `${JSON.stringify(layerJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = layerSchemaText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(LAYER_SCHEMA_FILE, 'utf8');
    } catch {
      // A missing file is stale too.
    }
    if (current !== text) {
      console.error(`${LAYER_SCHEMA_FILE} is out of date; run "npx tsx scripts/generate-layer-schema.ts".`);
      process.exit(1);
    }
  } else {
    writeFileSync(LAYER_SCHEMA_FILE, text);
    console.log(`wrote ${LAYER_SCHEMA_FILE}`);
  }
}
