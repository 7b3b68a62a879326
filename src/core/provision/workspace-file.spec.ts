import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_FILE_SCHEMA_FILE, workspaceFileSchemaText } from '../../../scripts/generate-layer-schema.js';
import { parseWorkspaceFile, WorkspaceFileError, WORKSPACE_FILE_SPEC } from './workspace-file.js';

function problemsOf(text: string): string[] {
  try {
    parseWorkspaceFile(text, '/p/porthole.json');
  } catch (error) {
    if (error instanceof WorkspaceFileError) return error.problems.map((p) => `${p.path}: ${p.message} ${p.fix}`.trim());
    throw error;
  }
  return [];
}

describe('porthole.json', () => {
  it('reads a valid file', () => {
    const file = parseWorkspaceFile(JSON.stringify({ workspaces: [{ name: 'api', layers: ['developer'], state: 'stopped', idleTimeoutMinutes: 30 }] }), 'porthole.json');
    expect(file.workspaces[0]).toEqual({ name: 'api', layers: ['developer'], state: 'stopped', idleTimeoutMinutes: 30 });
  });

  it('reports every mistake with its JSON path and fix, in one go', () => {
    const problems = problemsOf(
      JSON.stringify({
        workspaces: [
          { name: 'api', state: 'paused', acess: 'direct' },
          { name: 'Bad_Name', bundle: 'huge', idleTimeoutMinutes: 3 },
        ],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.workspaces[0].state: "paused" is not a workspace state. Use "running", "stopped" or "hibernated".',
        '$.workspaces[0].acess: "acess" is not a field here. Did you mean "access"? Otherwise remove it.',
        expect.stringMatching(/^\$\.workspaces\[1\]\.name: "Bad_Name" is not a workspace name\./),
        expect.stringMatching(/^\$\.workspaces\[1\]\.bundle: "huge" is not a bundle id\./),
      ]),
    );
  });

  it('checks names and idle timeouts as the engine does, and refuses a workspace declared twice', () => {
    expect(problemsOf(JSON.stringify({ workspaces: [{ name: 'api', idleTimeoutMinutes: 3 }] }))[0]).toMatch(/^\$\.workspaces\[0\]\.idleTimeoutMinutes: /);
    expect(problemsOf(JSON.stringify({ workspaces: [{ name: 'api' }, { name: 'api' }] }))).toEqual(['$.workspaces[1].name: "api" is already declared at $.workspaces[0]. Keep one entry per workspace.']);
  });

  it('refuses a declared port of 0, 70000, "abc" or one listed twice, naming the file and the field', () => {
    const file = JSON.stringify({ workspaces: [{ name: 'api', ports: [3000, 0, 70_000, 'abc', 3000] }] });
    expect(problemsOf(file)).toEqual([
      '$.workspaces[0].ports[1]: 0 is out of range. Use a whole number from 1 to 65535.',
      '$.workspaces[0].ports[2]: 70000 is out of range. Use a whole number from 1 to 65535.',
      '$.workspaces[0].ports[3]: Expected a whole number, found string "abc". Write a whole number from 1 to 65535 here.',
      '$.workspaces[0].ports[4]: 3000 is listed twice. Remove the repeated entry.',
    ]);
    expect(() => parseWorkspaceFile(file, '/p/porthole.json')).toThrow('/p/porthole.json $.workspaces[0].ports[1]: 0 is out of range.');
    expect(parseWorkspaceFile(JSON.stringify({ workspaces: [{ name: 'api', ports: [8888, 3000] }] }), 'porthole.json').workspaces[0]?.ports).toEqual([8888, 3000]);
  });

  it('says where the JSON is broken, and that nothing was changed', () => {
    const error = (() => {
      try {
        parseWorkspaceFile('{"workspaces": [', '/p/porthole.json');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/^The workspace file has a problem; nothing was changed\./);
    expect(error?.message).toMatch(/\/p\/porthole\.json \$: This is not valid JSON/);
  });

  it('publishes schema/porthole.schema.json generated from the spec the validator uses', async () => {
    expect(await readFile(WORKSPACE_FILE_SCHEMA_FILE, 'utf8'), 'run "npx tsx scripts/generate-layer-schema.ts"').toBe(workspaceFileSchemaText());
    const schema = JSON.parse(workspaceFileSchemaText()) as { properties: { workspaces: { items: { properties: Record<string, unknown> } } } };
    const itemSpec = WORKSPACE_FILE_SPEC.properties.workspaces;
    expect(itemSpec?.type).toBe('array');
    expect(Object.keys(schema.properties.workspaces.items.properties)).toEqual(['name', 'region', 'bundle', 'layers', 'access', 'idleTimeoutMinutes', 'image', 'state', 'ports']);
  });
});
