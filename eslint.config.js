import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The layer rules of DESIGN.md ("Layers of the code"), enforced at lint time so
// a forbidden arrow fails CI instead of surfacing as an Electron crash in the
// CLI or a Node module bundled into the renderer.

const DESIGN = 'DESIGN.md, "Layers of the code"';

/** Matches an import of a sibling layer of src/, in relative or absolute form. */
function layerImport(layers) {
  const names = layers.join('|');
  return [`^(\\./)?(\\.\\./)+(${names})(/|$)`, `(^|/)src/(${names})(/|$)`];
}

const packageImport = (names) => [`^(${names.join('|')})(/|$)`];

function restrict(groups) {
  const patterns = groups.flatMap(({ regexes, message }) =>
    regexes.map((regex) => ({ regex, message })),
  );
  // Static imports are covered by the pattern list; import() calls and
  // `typeof import('x')` types are not, so the same expressions are checked
  // on their string literals too (esquery regexes cannot hold a '/').
  const dynamic = groups.flatMap(({ regexes, message }) =>
    regexes.flatMap((regex) => {
      const value = `[value=/${regex.replaceAll('/', '\\x2F')}/]`;
      return [
        { selector: `ImportExpression > Literal.source${value}`, message },
        { selector: `TSImportType > Literal.source${value}`, message },
      ];
    }),
  );
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
}

const coreMessage =
  `Layer rule (${DESIGN}): src/core is the Electron-free engine shared by the app, the CLI ` +
  'and the tests; it never imports electron, React, or src/main, src/renderer, src/cli, src/preload. ' +
  'Put the Electron or UI side in src/main or src/renderer behind an interface from core.';

const emulatorMessage =
  `Layer rule (${DESIGN}): src/emulator (lightsail-local) stands in for AWS and imports nothing ` +
  'from src/core, nor electron, React, src/main, src/renderer, src/cli, src/preload; it speaks only the wire protocol.';

const rendererMessage =
  `Layer rule (${DESIGN}): src/renderer is a sandboxed page; it reaches the engine only through ` +
  'the contract in src/shared, never by importing src/core, src/main, src/cli, src/preload, src/emulator or electron.';

const sharedMessage =
  `Layer rule (${DESIGN}): src/shared is the typed contract that runs anywhere; it imports nothing ` +
  'but other files of src/shared.';

const upperLayers = ['main', 'renderer', 'cli', 'preload'];
const uiPackages = ['electron', 'react', 'react-dom'];

const coreGroups = [
  { regexes: [...packageImport(uiPackages), ...layerImport(upperLayers)], message: coreMessage },
];

const emulatorGroups = [
  {
    regexes: [...packageImport(uiPackages), ...layerImport([...upperLayers, 'core'])],
    message: emulatorMessage,
  },
];

const rendererGroups = [
  {
    regexes: [
      ...packageImport(['electron']),
      ...layerImport(['core', 'main', 'cli', 'preload', 'emulator']),
    ],
    message: rendererMessage,
  },
];

const sharedLayerGroups = [
  {
    regexes: layerImport(['core', 'main', 'renderer', 'cli', 'preload', 'emulator']),
    message: sharedMessage,
  },
];

// Specs beside shared files still need their test runner.
const sharedPackageGroups = [{ regexes: ['^(?!\\.\\.?/)'], message: sharedMessage }];

export default defineConfig(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', '.porthole-test/'] },
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // `typeof import('x')` stays allowed: it types a module loaded lazily
      // with import(), as keytar is, without loading it eagerly.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
    },
  },
  { files: ['src/core/**'], rules: restrict(coreGroups) },
  { files: ['src/emulator/**'], rules: restrict(emulatorGroups) },
  { files: ['src/renderer/**'], rules: restrict(rendererGroups) },
  {
    files: ['src/shared/**'],
    ignores: ['src/shared/**/*.spec.ts'],
    rules: restrict([...sharedLayerGroups, ...sharedPackageGroups]),
  },
  { files: ['src/shared/**/*.spec.ts'], rules: restrict(sharedLayerGroups) },
);
