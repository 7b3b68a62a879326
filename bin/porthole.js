#!/usr/bin/env node
// The CLI runs from its TypeScript sources; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
// The AWS SDK versions pinned here run on Node 20; its notice about future
// releases needing Node 22 would otherwise open the stderr of every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { runCli } = await import('../src/cli/main.ts');
const { processIo } = await import('../src/cli/cli-io.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo);
