import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { ssoLogin } from '../../core/credentials/sso-login.js';
import { PortholeError } from '../../core/errors.js';
import { SettingsStore } from '../../core/settings/settings-store.js';
import { SANDBOX_ACCOUNT } from '../../core/settings/settings-schema.js';
import type { CliIo } from '../cli-io.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { openInSystemBrowser } from '../system-browser.js';

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
            if (options.browser) await openInSystemBrowser(prompt.verificationUriComplete).catch((error: Error) => io.stderr.write(`${error.message} The link is above.\n`));
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

