import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { platform } from 'node:os';
import { ssoLogin, type DeviceSignInPrompt } from '../../core/credentials/sso-login.js';
import { PortholeError } from '../../core/errors.js';
import { SettingsStore } from '../../core/settings/settings-store.js';
import { SANDBOX_ACCOUNT } from '../../core/settings/settings-schema.js';
import type { CliIo } from '../cli-io.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';

/** `porthole login [PROFILE]`: IAM Identity Center device sign-in, sharing the AWS CLI's token cache. */
export function registerLoginCommand(program: Command, io: CliIo): void {
  program
    .command('login [profile]')
    .description('sign in to IAM Identity Center for an AWS profile (the active account by default)')
    .option('--no-browser', 'only print the link and code; open it yourself')
    .action(async (profileArg: string | undefined, options: { browser: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      const profile = profileArg ?? (await activeProfile(globals));
      const controller = new AbortController();
      const cancel = (): void => controller.abort();
      process.once('SIGINT', cancel);
      try {
        const result = await ssoLogin({
          profile,
          signal: controller.signal,
          openUrl: async (prompt) => {
            io.stderr.write(`To sign in, open ${prompt.verificationUriComplete}\nand check that it shows the code ${prompt.userCode}.\n`);
            if (options.browser) await openInBrowser(prompt).catch((error: unknown) => io.stderr.write(`${(error as Error).message}\n`));
          },
        });
        if (globals.json === true) io.stdout.write(`${JSON.stringify({ profile, expiresAt: result.expiresAt })}\n`);
        else io.stdout.write(`Signed in: profile ${profile} until ${result.expiresAt}.\n`);
      } finally {
        process.removeListener('SIGINT', cancel);
      }
    });
}

async function activeProfile(globals: GlobalOptions): Promise<string> {
  const dataDir = globals.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const settings = new SettingsStore(dataDir).get();
  const account = settings.accounts.find((a) => a.name === settings.activeAccount);
  if (!account || account.kind !== 'aws-profile' || settings.activeAccount === SANDBOX_ACCOUNT) {
    throw new PortholeError('usage', 'The Sandbox account needs no sign-in.', { fix: 'Run "porthole login PROFILE" with an AWS profile that uses IAM Identity Center.' });
  }
  return account.profile;
}

/** $BROWSER when set (as many Unix tools honour), else the desktop's opener. */
async function openInBrowser(prompt: DeviceSignInPrompt): Promise<void> {
  const url = prompt.verificationUriComplete;
  const browser = process.env.BROWSER;
  const [command, args] = browser
    ? [browser, [url]]
    : platform() === 'darwin'
      ? ['open', [url]]
      : platform() === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
    child.once('error', () => reject(new PortholeError('usage', `Could not start a browser (${command as string}); open the link above yourself.`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
