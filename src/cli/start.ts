import { processIo } from './cli-io.js';
import { runCli } from './main.js';

/** Runs `porthole` on this process's arguments and streams: what bin/porthole.js and the app's shipped CLI both do. */
export async function startCli(): Promise<void> {
  // The AWS SDK versions pinned here run on Node 20; its notice about future
  // releases needing Node 22 would otherwise open the stderr of every command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await runCli(process.argv.slice(2), processIo);
}
