import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints snippets as if they sat in each layer, through the repository's own
// eslint.config.js, to prove the layer rules of DESIGN.md actually fire.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

async function lint(filePath: string, code: string): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result;
}

async function expectLayerViolation(filePath: string, specifier: string): Promise<void> {
  const forms = [
    `import { thing } from '${specifier}';\nexport { thing };\n`,
    `import type { Thing } from '${specifier}';\nexport type Alias = Thing;\n`,
    `export { thing } from '${specifier}';\n`,
    `export const load = () => import('${specifier}');\n`,
    `export type Module = typeof import('${specifier}');\n`,
  ];
  for (const code of forms) {
    const result = await lint(filePath, code);
    const layerMessages = result.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId));
    expect(layerMessages.length, `${filePath}: ${code}`).toBeGreaterThan(0);
    for (const message of layerMessages) {
      expect(message.message).toContain('DESIGN.md');
      expect(message.severity).toBe(2);
    }
  }
}

async function expectClean(filePath: string, specifier: string): Promise<void> {
  const result = await lint(filePath, `import { thing } from '${specifier}';\nexport { thing };\n`);
  expect(result.messages, `${filePath} importing ${specifier}`).toEqual([]);
}

const ui = ['electron', 'electron/main', 'react', 'react/jsx-runtime', 'react-dom', 'react-dom/client'];

function layerForms(layer: string): string[] {
  return [
    `../${layer}/index.js`,
    `../../${layer}/tray/window.js`,
    `./../../${layer}`,
    `src/${layer}/index.js`,
    `${repoRoot}src/${layer}/index.js`,
  ];
}

describe('src/core stays Electron-free', () => {
  const forbidden = [...ui, ...['main', 'renderer', 'cli', 'preload'].flatMap(layerForms)];
  it.each(forbidden)('rejects %s', async (specifier) => {
    await expectLayerViolation('src/core/workspaces/reconciler.ts', specifier);
  });

  it.each([
    '../../shared/workspace.js',
    '../cloud/lightsail-gateway.js',
    '../../emulator/server.js',
    'node:child_process',
    '@aws-sdk/client-lightsail',
    'reactive-stream',
  ])('allows %s', async (specifier) => {
    await expectClean('src/core/workspaces/reconciler.ts', specifier);
  });
});

describe('src/emulator imports nothing from core', () => {
  const forbidden = [...ui, ...['main', 'renderer', 'cli', 'preload', 'core'].flatMap(layerForms)];
  it.each(forbidden)('rejects %s', async (specifier) => {
    await expectLayerViolation('src/emulator/lightsail/server.ts', specifier);
  });

  it.each(['./state-file.js', '../sigv4.js', 'node:http', 'node:crypto'])('allows %s', async (specifier) => {
    await expectClean('src/emulator/lightsail/server.ts', specifier);
  });
});

describe('src/renderer reaches the engine only through shared', () => {
  const forbidden = ['electron', ...['core', 'main', 'cli', 'preload', 'emulator'].flatMap(layerForms)];
  it.each(forbidden)('rejects %s', async (specifier) => {
    await expectLayerViolation('src/renderer/workspace-list.tsx', specifier);
  });

  it.each(['../shared/contract.js', './create-wizard.js', 'react', 'react-dom/client'])(
    'allows %s',
    async (specifier) => {
      await expectClean('src/renderer/workspace-list.tsx', specifier);
    },
  );
});

describe('src/shared imports nothing but shared', () => {
  const forbidden = [
    'electron',
    'react',
    'node:fs',
    '@aws-sdk/client-lightsail',
    ...['core', 'main', 'renderer', 'cli', 'preload', 'emulator'].flatMap(layerForms),
  ];
  it.each(forbidden)('rejects %s', async (specifier) => {
    await expectLayerViolation('src/shared/contract.ts', specifier);
  });

  it.each(['./workspace.js', '../shared/workspace.js'])('allows %s', async (specifier) => {
    await expectClean('src/shared/contract.ts', specifier);
  });

  it('lets a spec beside a shared file use its test runner', async () => {
    await expectClean('src/shared/contract.spec.ts', 'vitest');
  });
});

describe('the layers above core are not restricted by these rules', () => {
  it.each([
    ['src/main/tray.ts', 'electron'],
    ['src/main/tray.ts', '../core/tray/tray-menu.js'],
    ['src/cli/commands.ts', '../core/workspaces/reconciler.js'],
    ['src/cli/commands.ts', '../emulator/server.js'],
  ])('%s may import %s', async (filePath, specifier) => {
    await expectClean(filePath, specifier);
  });
});
