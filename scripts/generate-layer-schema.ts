// Writes schema/layer.schema.json and schema/porthole.schema.json from the
// specs in code, so editors complete and check layer files and porthole.json
// against exactly what Porthole accepts.
//
//   npx tsx scripts/generate-layer-schema.ts           write it
//   npx tsx scripts/generate-layer-schema.ts --check   exit 1 if it is stale

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerJsonSchema } from '../src/core/provision/layer-schema.js';
import { workspaceFileJsonSchema } from '../src/core/provision/workspace-file.js';

export const LAYER_SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'layer.schema.json');

export function layerSchemaText(): string {
  return `${JSON.stringify(layerJsonSchema(), null, 2)}\n`;
}

export const WORKSPACE_FILE_SCHEMA_FILE = join(dirname(LAYER_SCHEMA_FILE), 'porthole.schema.json');

export function workspaceFileSchemaText(): string {
  return `${JSON.stringify(workspaceFileJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, text] of [
    [LAYER_SCHEMA_FILE, layerSchemaText()],
    [WORKSPACE_FILE_SCHEMA_FILE, workspaceFileSchemaText()],
  ] as const) {
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        // A missing file is stale too.
      }
      if (current !== text) {
        console.error(`${path} is out of date; run "npx tsx scripts/generate-layer-schema.ts".`);
        process.exit(1);
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
}
