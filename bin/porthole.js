#!/usr/bin/env node
// The CLI runs from its TypeScript sources; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
const { processIo } = await import('../src/cli/cli-io.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
