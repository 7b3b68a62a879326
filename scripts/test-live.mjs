#!/usr/bin/env node
// npm run test:live: the live acceptance suite against real Lightsail. It
// refuses, saying what to set, unless PORTHOLE_LIVE_PROFILE and
// PORTHOLE_LIVE_REGION name an AWS profile and a region.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { liveRefusal } = await import('../test/support/live-target.ts');
const env = { ...process.env, PORTHOLE_LIVE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const refusal = liveRefusal(env);
if (refusal) {
  console.error(`test:live: ${refusal}`);
  process.exit(2);
}
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/integration/live-acceptance.test.ts', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit', env });
const forward = (signal) => vitest.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
