import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { DashboardService } from '../../core/app/dashboard-service.js';
import { PortholeError } from '../../core/errors.js';
import { KeytarSecretStore } from '../../core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../../core/settings/settings-store.js';
import type { CliIo } from '../cli-io.js';
import { copyToClipboard } from '../clipboard.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { connectSandbox } from '../sandbox-account.js';
import { selfCommand } from '../self-command.js';
import { OneTimeDownloads } from '../ui-server/one-time-downloads.js';
import { ensureRendererBuilt } from '../ui-server/renderer-bundle.js';
import { startUiServer } from '../ui-server/ui-server.js';
import { openInSystemBrowser } from '../system-browser.js';

export interface UiOptions {
  open: boolean;
  port?: number;
}

/** `porthole ui`: the dashboard in a browser, on loopback, until interrupted. */
export function registerUiCommand(program: Command, io: CliIo): void {
  program
    .command('ui')
    .description('open the dashboard in your browser (served on 127.0.0.1 only)')
    .option('--no-open', 'print the address without opening a browser')
    .addOption(new Option('--port <port>', 'the port to listen on (default: a free one)').argParser(parsePort))
    .action((options: UiOptions) => serveDashboard(program.opts<GlobalOptions>(), io, options));
}

/** Serves the dashboard until SIGINT or SIGTERM; `porthole app` falls back to this. */
export async function serveDashboard(globals: GlobalOptions, io: CliIo, options: UiOptions): Promise<void> {
  const rendererDir = await ensureRendererBuilt((line) => io.stderr.write(`${line}\n`));
  const dataDir = globals.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // A browser has no save dialog: an exported archive is offered to it as a download.
  const downloads = new OneTimeDownloads();
  const service = await DashboardService.open({
    dataDir,
    settings: new SettingsStore(dataDir),
    secrets: new KeytarSecretStore(),
    connectSandbox: () => connectSandbox(dataDir),
    copyToClipboard,
    openExternal: openInSystemBrowser,
    onRecovery: (line) => io.stderr.write(`${line}\n`),
    commandLine: selfCommand(),
    offerDownload: (file, fileName) => downloads.offer(file, fileName),
  });
  let server;
  try {
    server = await startUiServer({ service, rendererDir, downloads, ...(options.port !== undefined ? { port: options.port } : {}) }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new PortholeError('usage', `Port ${options.port} on 127.0.0.1 is in use.`, { fix: 'Choose another with --port, or leave --port out to use a free one.' });
      }
      throw error;
    });
  } catch (error) {
    await service.close();
    throw error;
  }
  if (globals.json) io.stdout.write(`${JSON.stringify({ url: server.url, account: service.account })}\n`);
  else io.stdout.write(`Porthole dashboard (account ${service.account}): ${server.url}\nPress Ctrl+C to stop.\n`);
  if (options.open) await openInSystemBrowser(server.url).catch((error: Error) => io.stderr.write(`porthole: ${error.message} The dashboard is at the address above.\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await service.close();
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PortholeError('usage', `--port "${text}" is not a port number.`, { fix: 'Use a number from 1 to 65535, or leave --port out.' });
  }
  return port;
}
