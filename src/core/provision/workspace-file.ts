import type { AccessMode } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { BUNDLE_ID_PATTERN, REGION_PATTERN, validateIdleTimeoutMinutes, validateWorkspaceName } from '../workspaces/workspace-name.js';
import { formatProblem, type LayerProblem } from './layer-problems.js';
import { DECLARED_PORTS_SPEC, LAYER_NAME_PATTERN } from './layer-schema.js';
import { toJsonSchema, validateAgainst, type ObjectSpec } from './schema-spec.js';

/**
 * porthole.json: the workspaces a project wants, kept in git. `porthole
 * plan` compares it with the cloud and `porthole apply` converges to it.
 * Only the workspaces named here are touched.
 */
export const WORKSPACE_FILE_NAME = 'porthole.json';

export type DesiredState = 'running' | 'stopped' | 'hibernated';

export interface DesiredWorkspace {
  name: string;
  region?: string;
  bundle?: string;
  layers?: string[];
  access?: AccessMode;
  idleTimeoutMinutes?: number;
  image?: string;
  state?: DesiredState;
  /** Forwarded whenever they listen, with the ports its layers declare. */
  ports?: number[];
}

export interface WorkspaceFile {
  workspaces: DesiredWorkspace[];
}

/** The one description of porthole.json: the validator and schema/porthole.schema.json both come from it. */
export const WORKSPACE_FILE_SPEC: ObjectSpec = {
  type: 'object',
  description: 'Porthole workspaces kept in git: "porthole plan" shows what would change, "porthole apply" makes it so.',
  required: ['workspaces'],
  properties: {
    $schema: { type: 'string', description: 'The JSON Schema of this file, for editors.' },
    workspaces: {
      type: 'array',
      description: 'The workspaces this file manages; workspaces not named here are left alone.',
      items: {
        type: 'object',
        description: 'One workspace and the state it should be in.',
        required: ['name'],
        properties: {
          name: {
            type: 'string',
            description: 'The workspace name: 2 to 63 lower-case letters, digits and dashes.',
            pattern: /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/,
            patternProblem: 'is not a workspace name',
            patternFix: 'Use 2 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit, e.g. "api-dev".',
          },
          region: { type: 'string', description: 'The Lightsail region (default: the account default).', pattern: REGION_PATTERN, patternProblem: 'is not a region id', examples: ['us-east-1', 'eu-west-2'] },
          bundle: { type: 'string', description: 'The instance size (default small_3_0).', pattern: BUNDLE_ID_PATTERN, patternProblem: 'is not a bundle id', examples: ['small_3_0', 'medium_3_0'] },
          layers: {
            type: 'array',
            description: 'Environment layers after base, in order, e.g. ["developer", "devops"].',
            uniqueItems: true,
            items: { type: 'string', description: 'A layer name ("porthole layers" lists them).', pattern: LAYER_NAME_PATTERN, patternProblem: 'is not a layer name', examples: ['developer'] },
          },
          access: { type: 'string', description: 'How code-server is reached: "tunnel" (SSH, the default) or "direct" (HTTPS).', pattern: /^(?:tunnel|direct)$/, patternProblem: 'is not an access mode', patternFix: 'Use "tunnel" or "direct".' },
          idleTimeoutMinutes: { type: 'integer', description: 'Stop after this many idle minutes (0: never; default: the layers\' suggestion, else 60).', minimum: 0, maximum: 1440 },
          image: { type: 'string', description: 'A baked image to create it from ("porthole images").', pattern: /^[a-z][a-z0-9-]{1,62}$/, patternProblem: 'is not an image name' },
          state: { type: 'string', description: 'The state to keep it in: "running" (default), "stopped" or "hibernated".', pattern: /^(?:running|stopped|hibernated)$/, patternProblem: 'is not a workspace state', patternFix: 'Use "running", "stopped" or "hibernated".' },
          ports: { ...DECLARED_PORTS_SPEC, description: `${DECLARED_PORTS_SPEC.description} Added to the ports its layers declare.` },
        },
      },
    },
  },
};

/** The published JSON Schema, written to schema/porthole.schema.json. */
export function workspaceFileJsonSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Porthole workspaces (porthole.json)', ...toJsonSchema(WORKSPACE_FILE_SPEC) };
}

/** Every problem in a porthole.json, each with the file, the JSON path and the fix. */
export class WorkspaceFileError extends PortholeError {
  readonly problems: readonly LayerProblem[];

  constructor(problems: readonly LayerProblem[]) {
    const noun = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super('usage', `The workspace file has ${noun}; nothing was changed. Fix each and run the command again:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Reads porthole.json's text, or throws every problem in it at once. */
export function parseWorkspaceFile(text: string, file: string): WorkspaceFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new WorkspaceFileError([{ file, path: '$', message: `This is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, fix: 'Correct the JSON syntax.' }]);
  }
  const problems: LayerProblem[] = validateAgainst(WORKSPACE_FILE_SPEC, document).map((problem) => ({ file, ...problem }));
  if (problems.length > 0) throw new WorkspaceFileError(problems);
  const parsed = document as WorkspaceFile;
  const seen = new Map<string, number>();
  parsed.workspaces.forEach((workspace, index) => {
    const path = `$.workspaces[${index}]`;
    const nameProblem = validateWorkspaceName(workspace.name);
    if (nameProblem) problems.push({ file, path: `${path}.name`, message: nameProblem.message, fix: '' });
    if (workspace.idleTimeoutMinutes !== undefined) {
      const idleProblem = validateIdleTimeoutMinutes(workspace.idleTimeoutMinutes);
      if (idleProblem) problems.push({ file, path: `${path}.idleTimeoutMinutes`, message: idleProblem.message, fix: '' });
    }
    const key = `${workspace.region ?? ''}/${workspace.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file, path: `${path}.name`, message: `"${workspace.name}" is already declared at $.workspaces[${first}].`, fix: 'Keep one entry per workspace.' });
    }
    seen.set(key, index);
  });
  if (problems.length > 0) throw new WorkspaceFileError(problems);
  return parsed;
}
