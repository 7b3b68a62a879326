import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const fromRoot = (path: string): string => resolve(root, path);
// PORTHOLE_OUT_DIR builds elsewhere than out/ (the build suite does, so it never rewrites files another suite is serving).
const outDir = process.env.PORTHOLE_OUT_DIR ? resolve(process.env.PORTHOLE_OUT_DIR) : fromRoot('out');

export default defineConfig({
  main: {
    build: {
      outDir: resolve(outDir, 'main'),
      rolldownOptions: {
        input: { index: fromRoot('src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(outDir, 'preload'),
      // A sandboxed preload is evaluated as a classic script, never as an ES
      // module, and everything it imports must be inside that one file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(outDir, 'renderer'),
      rolldownOptions: {
        input: { index: fromRoot('src/renderer/index.html') },
      },
    },
  },
});
