#!/usr/bin/env node
// porthole-cli-launcher: the CLI from its TypeScript sources; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { startCli } = await import('../src/cli/start.ts');
await startCli();
