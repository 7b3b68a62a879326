import { ALLOWED_FILE_ROOTS } from './layer.js';
import { toJsonSchema, type ObjectSpec, type SchemaSpec } from './schema-spec.js';

export const LAYER_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

const layerName: SchemaSpec = {
  type: 'string',
  description: 'A layer name: lower-case letters, digits and dashes, starting with a letter.',
  pattern: LAYER_NAME_PATTERN,
  patternProblem: 'is not a layer name',
  patternFix: 'Use lower-case letters, digits and dashes, starting with a letter, e.g. "data-science".',
};

const rootsPattern = ALLOWED_FILE_ROOTS.map((root) => root.replaceAll('/', '\\/')).join('|');

/** A path below one of the allowed roots, with no `.` or `..` segment and no control characters. */
export const FILE_PATH_PATTERN = new RegExp(`^(?:${rootsPattern})(?:\\/(?!\\.\\.?(?:\\/|$))[^/\\x00-\\x1f]+)+$`);

export const EXTENSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Ports a layer or porthole.json declares: forwarded whenever they listen, inside the auto-forward range or not. */
export const DECLARED_PORTS_SPEC: SchemaSpec = {
  type: 'array',
  description: 'TCP ports the workspace serves (a dev server, Jupyter, an API): forwarded to this computer as soon as they listen, whatever the auto-forward range.',
  uniqueItems: true,
  items: { type: 'integer', description: 'A TCP port, 1 to 65535.', minimum: 1, maximum: 65_535 },
};

/** The one description of a layer file: the validator and schema/layer.schema.json both come from it. */
export const LAYER_SPEC: ObjectSpec = {
  type: 'object',
  description: 'A Porthole layer: one piece of a workspace environment, composed with the layers it extends into the launch script.',
  required: ['name', 'description'],
  properties: {
    $schema: { type: 'string', description: 'The JSON Schema of this file, for editors.' },
    name: { ...layerName, description: 'The layer name; it must match the file name without .json.' },
    description: { type: 'string', description: 'One line on what the layer adds.', maxLength: 200 },
    extends: {
      type: 'array',
      description: 'Layers applied before this one, in order.',
      uniqueItems: true,
      items: layerName,
    },
    apt: {
      type: 'array',
      description: 'Debian/Ubuntu packages to install with apt-get.',
      uniqueItems: true,
      items: {
        type: 'string',
        description: 'An apt package name.',
        pattern: /^[a-z0-9][a-z0-9+.-]+$/,
        patternProblem: 'is not an apt package name',
        examples: ['build-essential', 'python3-venv'],
      },
    },
    steps: {
      type: 'array',
      description: 'Named shell steps, run as root in order. Each must be safe to run twice: a re-run skips a step only when its layer is unchanged.',
      items: {
        type: 'object',
        description: 'One named shell step.',
        required: ['name', 'run'],
        properties: {
          name: {
            type: 'string',
            description: 'Shown in the progress of the workspace.',
            pattern: /^[A-Za-z0-9][A-Za-z0-9 ._+()-]{0,59}$/,
            patternProblem: 'is not a step name',
            patternFix: 'Use up to 60 letters, digits, spaces and ._+()-, e.g. "install rustup".',
          },
          run: { type: 'string', description: 'Bash, run with `set -euo pipefail`.', maxLength: 8000 },
        },
      },
    },
    files: {
      type: 'array',
      description: `Files to write, below ${ALLOWED_FILE_ROOTS.join(', ')}. A later layer's file at the same path replaces an earlier one.`,
      items: {
        type: 'object',
        description: 'One file.',
        required: ['path', 'content'],
        properties: {
          path: {
            type: 'string',
            description: `An absolute path below ${ALLOWED_FILE_ROOTS.join(', ')}.`,
            pattern: FILE_PATH_PATTERN,
            patternProblem: `is outside the folders a layer may write (${ALLOWED_FILE_ROOTS.join(', ')}) or has a "." or ".." segment`,
            patternFix: `Use an absolute path below one of ${ALLOWED_FILE_ROOTS.join(', ')}, e.g. "/home/porthole/.bashrc.d/aliases.sh".`,
          },
          content: { type: 'string', description: 'The file content, written as is.' },
          mode: {
            type: 'string',
            description: 'Octal permissions (default "0644").',
            pattern: /^0[0-7]{3}$/,
            patternProblem: 'is not an octal file mode',
            patternFix: 'Write four octal digits starting with 0, e.g. "0644" or "0755".',
          },
          owner: {
            type: 'string',
            description: 'user:group (default "porthole:porthole" in the home folder, "root:root" elsewhere).',
            pattern: /^[a-z_][a-z0-9_-]{0,31}:[a-z_][a-z0-9_-]{0,31}$/,
            patternProblem: 'is not a user:group owner',
            patternFix: 'Write user:group, e.g. "porthole:porthole" or "root:root".',
          },
        },
      },
    },
    env: {
      type: 'map',
      description: 'Environment variables for code-server and login shells. A later layer replaces an earlier value.',
      keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      keyProblem: 'is not an environment variable name',
      values: {
        type: 'string',
        description: 'The value, one line.',
        pattern: /^[^\n\r\x00]*$/,
        patternProblem: 'holds a line break',
        patternFix: 'Keep the value on one line.',
      },
    },
    codeServer: {
      type: 'object',
      description: 'code-server extensions and settings.',
      properties: {
        extensions: {
          type: 'array',
          description: 'Open VSX extension ids.',
          uniqueItems: true,
          items: {
            type: 'string',
            description: 'An Open VSX id, publisher.name.',
            pattern: EXTENSION_ID_PATTERN,
            patternProblem: 'is not an Open VSX extension id',
            patternFix: 'Write publisher.name as shown on open-vsx.org, e.g. "ms-python.python".',
            examples: ['ms-python.python', 'hashicorp.terraform'],
          },
        },
        settings: { type: 'any-object', description: 'VS Code settings; a later layer replaces an earlier value of the same key.' },
      },
    },
    dotfiles: {
      type: 'object',
      description: 'A dotfiles repository cloned into ~/.dotfiles of the workspace user.',
      required: ['repo'],
      properties: {
        repo: {
          type: 'string',
          description: 'A git URL (https://, ssh:// or git@host:path).',
          pattern: /^(?:https:\/\/[^\s'"\\]+|ssh:\/\/[^\s'"\\]+|git@[^\s'":\\]+:[^\s'"\\]+)$/,
          patternProblem: 'is not a git URL',
          patternFix: 'Use an https://, ssh:// or git@host:path URL, e.g. "https://github.com/you/dotfiles.git".',
        },
        install: { type: 'string', description: 'Run in the clone as the workspace user, e.g. "./install.sh".', maxLength: 2000 },
      },
    },
    idleTimeoutMinutes: {
      type: 'integer',
      description: 'Stop the workspace after this many idle minutes when it sets none (0: never).',
      minimum: 0,
      maximum: 1440,
    },
    ports: DECLARED_PORTS_SPEC,
  },
};

/** The published JSON Schema; scripts/generate-layer-schema.ts writes it to schema/layer.schema.json. */
export function layerJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Porthole layer',
    ...toJsonSchema(LAYER_SPEC),
  };
}
