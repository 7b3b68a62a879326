import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The shipped dashboard is React's production build even when the builder
// inherits NODE_ENV=test (a test suite's porthole ui): Vite and the JSX
// transform both take NODE_ENV from the environment over the mode.
process.env.NODE_ENV = 'production';

/**
 * The renderer alone, for `porthole ui` and the benchmarks: the same output
 * as electron-vite's renderer entry (out/renderer), with relative asset
 * paths so the page loads from file:// in the app and from http on loopback.
 */
export default defineConfig({
  root: fileURLToPath(new URL('src/renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  mode: 'production',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('out/renderer', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline script or style, so nothing may be inlined as a data: module.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
