import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LAYER_SCHEMA_FILE, layerSchemaText } from '../../../scripts/generate-layer-schema.js';
import { LAYER_SPEC } from './layer-schema.js';

describe('schema/layer.schema.json', () => {
  it('is the one generated from the layer spec in code', async () => {
    expect(await readFile(LAYER_SCHEMA_FILE, 'utf8'), 'run "npx tsx scripts/generate-layer-schema.ts"').toBe(layerSchemaText());
  });

  it('lists every field the validator knows, and no other', () => {
    const schema = JSON.parse(layerSchemaText()) as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(LAYER_SPEC.properties));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'description']);
  });

  it('holds patterns an editor can compile as Unicode regular expressions', () => {
    const patterns = [...layerSchemaText().matchAll(/"pattern": ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(patterns.length).toBeGreaterThan(8);
    for (const pattern of patterns) expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
  });
});
