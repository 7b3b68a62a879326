import type { Command } from 'commander';
import { PortholeError } from '../../core/errors.js';
import type { CliIo } from '../cli-io.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { connectSandbox } from '../sandbox-account.js';

/**
 * `porthole emulator`: serves lightsail-local until interrupted. Without
 * --state it serves the Sandbox account's own state, so the app and the CLI
 * find it and use it.
 */
export function registerEmulatorCommand(program: Command, io: CliIo): void {
  program
    .command('emulator')
    .description('run lightsail-local, the Lightsail emulator behind the Sandbox account')
    .option('--port <port>', 'TCP port on 127.0.0.1 (default: any free port)', parsePort)
    .option('--state <file>', 'keep the emulator state in this file instead of the Sandbox account')
    .option('--time-scale <factor>', 'run emulated time this many times faster', parseScale)
    .action(async (options: { port?: number; state?: string; timeScale?: number }) => {
      const globals = program.opts<GlobalOptions>();
      const { startEmulator } = await import('../../emulator/index.js');
      const { SANDBOX_CREDENTIALS } = await import('../../emulator/sandbox-credentials.js');
      let endpoint: string;
      let identityEndpoint: string | undefined;
      let stop: () => Promise<void>;
      if (options.state) {
        const emulator = await startEmulator({ port: options.port ?? 0, stateFile: options.state, timeScale: options.timeScale ?? 1 });
        endpoint = emulator.endpoint;
        identityEndpoint = emulator.identityEndpoint;
        stop = () => emulator.close();
      } else {
        const sandbox = await connectSandbox(globals.dataDir ?? defaultDataDir(), {
          instances: 'when-running',
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
        });
        endpoint = sandbox.endpoint;
        identityEndpoint = sandbox.identityEndpoint;
        stop = () => sandbox.release();
      }
      const info = {
        endpoint,
        ...(identityEndpoint ? { identityEndpoint } : {}),
        accessKeyId: SANDBOX_CREDENTIALS.accessKeyId,
        secretAccessKey: SANDBOX_CREDENTIALS.secretAccessKey,
      };
      if (globals.json) io.stdout.write(`${JSON.stringify(info)}\n`);
      else {
        io.stdout.write(
          [
            `lightsail-local is listening on ${endpoint}`,
            `  aws lightsail get-instances --endpoint-url ${endpoint} --region us-east-1`,
            `  with AWS_ACCESS_KEY_ID=${info.accessKeyId} AWS_SECRET_ACCESS_KEY=${info.secretAccessKey} (sandbox-only keys)`,
            ...(identityEndpoint
              ? [
                  `IAM Identity Center sign-in and STS are on ${identityEndpoint}`,
                  `  point AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_STS at it for porthole login and aws sso login`,
                ]
              : []),
            'Press Ctrl+C to stop.',
            '',
          ].join('\n'),
        );
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await stop();
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new PortholeError('usage', `--port "${text}" is not a TCP port.`, { fix: 'Use a number from 1 to 65535, or 0 for any free port.' });
  }
  return port;
}

function parseScale(text: string): number {
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new PortholeError('usage', `--time-scale "${text}" is not a positive number.`, { fix: 'Use for example --time-scale 10 to run ten times faster.' });
  }
  return scale;
}
