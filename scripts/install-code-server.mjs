#!/usr/bin/env node
// Installs the pinned code-server into a cache folder outside the repository,
// once, for the suites that start a real code-server on loopback. Prints the
// path of its binary as the last line of stdout (`--json`: {"bin", "version"}).
// The install itself is the one `porthole sandbox install` runs
// (src/emulator/runtime/code-server-install.ts).
//
//   node scripts/install-code-server.mjs [--json]
//   PORTHOLE_CODE_SERVER_DIR=/some/dir node scripts/install-code-server.mjs

import { register } from 'tsx/esm/api';

register();
const { CODE_SERVER_VERSION, CodeServerInstallError, cacheInstallDir, installCodeServer } = await import('../src/emulator/runtime/code-server-install.ts');

const json = process.argv.includes('--json');
const dir = process.env.PORTHOLE_CODE_SERVER_DIR || cacheInstallDir();
try {
  const bin = installCodeServer(dir, (line) => process.stderr.write(`[code-server] ${line}\n`));
  process.stdout.write(json ? `${JSON.stringify({ bin, version: CODE_SERVER_VERSION })}\n` : `${bin}\n`);
} catch (error) {
  if (!(error instanceof CodeServerInstallError)) throw error;
  process.stderr.write(`[code-server] cannot install code-server ${CODE_SERVER_VERSION}: ${error.message}\n`);
  process.exit(1);
}
