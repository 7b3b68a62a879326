#!/usr/bin/env node
// The `porthole` CLI as the app ships it: one CommonJS file, out/cli/porthole.cjs,
// run by the app's own runtime through resources/porthole (or porthole.cmd).
// Every pure-JS dependency is inside it; native addons (keytar, argon2) stay
// outside and are required from the app's app.asar.unpacked/node_modules,
// which the launcher puts on NODE_PATH. CommonJS, because NODE_PATH applies
// to require() only.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// PORTHOLE_OUT_DIR builds elsewhere than out/, as electron.vite.config.ts does.
const outDir = process.env.PORTHOLE_OUT_DIR ? resolve(process.env.PORTHOLE_OUT_DIR) : resolve(root, 'out');

await build({
  entryPoints: [resolve(root, 'src/cli/shipped-entry.ts')],
  outfile: resolve(outDir, 'cli', 'porthole.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native addons, Electron itself, and Vite (which only rebuilds the dashboard from a checkout).
  external: ['keytar', '@node-rs/argon2', 'electron', 'vite'],
  // The sources are ES modules that find files beside themselves with import.meta.url.
  define: { 'import.meta.url': 'portholeBundleUrl' },
  banner: { js: 'const portholeBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});
