import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { whoAmI } from '../../core/credentials/account-identity.js';
import { discoverAwsProfiles, listAwsProfiles } from '../../core/credentials/aws-profiles.js';
import { PortholeError } from '../../core/errors.js';
import { SettingsStore } from '../../core/settings/settings-store.js';
import { SANDBOX_ACCOUNT, type AccountSettings } from '../../core/settings/settings-schema.js';
import type { CliIo } from '../cli-io.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { table } from '../format.js';

/** Which account the other commands act on: the built-in Sandbox, or an AWS profile. */
export function registerAccountCommands(program: Command, io: CliIo): void {
  const account = program
    .command('account')
    .description('show the accounts: the Sandbox and your AWS profiles')
    .action(async () => {
      const { json, settings } = await open(program.opts<GlobalOptions>());
      const current = settings.get();
      const profiles = await discoverAwsProfiles();
      // The app lists the workspaces of every configured account that is not disabled.
      const enabled = (name: string) => current.accounts.some((a) => a.name === name && a.enabled !== false);
      const rows = [
        { name: SANDBOX_ACCOUNT, kind: 'sandbox', detail: 'lightsail-local on this computer', active: current.activeAccount === SANDBOX_ACCOUNT, enabled: enabled(SANDBOX_ACCOUNT) },
        ...profiles.map((p) => ({ name: p.name, kind: p.kind?.type ?? 'aws-profile', detail: p.region ?? '', active: current.activeAccount === p.name, enabled: enabled(p.name) })),
      ];
      if (json) {
        io.stdout.write(`${JSON.stringify({ active: current.activeAccount, accounts: rows }, null, 2)}\n`);
        return;
      }
      io.stdout.write(`${table(['', 'ACCOUNT', 'KIND', 'DETAIL', 'ENABLED'], rows.map((r) => [r.active ? '*' : '', r.name, r.kind, r.detail, r.enabled ? 'yes' : 'no']))}\n`);
    });

  account
    .command('whoami [profile]')
    .description('ask AWS who a profile (the active account by default) signs in as, and until when')
    .action(async (profileArg: string | undefined) => {
      const { json, settings } = await open(program.opts<GlobalOptions>());
      const current = settings.get();
      const name = profileArg ?? current.activeAccount;
      if (name === SANDBOX_ACCOUNT) {
        const sandbox = { profile: SANDBOX_ACCOUNT, kind: 'sandbox', detail: 'lightsail-local on this computer; no sign-in' };
        io.stdout.write(json ? `${JSON.stringify(sandbox)}\n` : 'Sandbox: lightsail-local on this computer; no sign-in needed.\n');
        return;
      }
      const configured = current.accounts.find((a) => a.name === name);
      const identity = await whoAmI(configured?.kind === 'aws-profile' ? configured.profile : name);
      if (json) {
        io.stdout.write(`${JSON.stringify(identity)}\n`);
        return;
      }
      io.stdout.write(
        `${table(
          ['PROFILE', 'KIND', 'ACCOUNT', 'ARN', 'EXPIRES'],
          [[identity.profile, identity.kind, identity.accountId, identity.arn, identity.expiresAt ?? 'never']],
        )}\n`,
      );
    });

  account
    .command('use <account>')
    .description('make "sandbox" or an AWS profile the active account')
    .action(async (name: string) => {
      const { json, settings } = await open(program.opts<GlobalOptions>());
      const current = settings.get();
      if (name !== SANDBOX_ACCOUNT) {
        const profiles = await listAwsProfiles();
        const profile = profiles.find((p) => p.name === name);
        if (!profile) {
          throw new PortholeError('usage', `There is no AWS profile "${name}" in the shared AWS config files.`, {
            fix: profiles.length > 0 ? `Use "sandbox" or one of: ${profiles.map((p) => p.name).join(', ')}.` : 'Create one with "aws configure sso" or "aws configure --profile NAME", or use "sandbox".',
          });
        }
        if (!current.accounts.some((a) => a.name === name)) {
          const region = profile.region ?? current.defaultRegion;
          const added: AccountSettings = { name, kind: 'aws-profile', profile: name, regions: [region] };
          settings.set('accounts', [...current.accounts, added]);
        }
      }
      settings.set('activeAccount', name);
      if (json) io.stdout.write(`${JSON.stringify({ active: name })}\n`);
      else io.stdout.write(`Active account: ${name}.\n`);
    });

  for (const enable of [true, false]) {
    account
      .command(`${enable ? 'enable' : 'disable'} <account>`)
      .description(enable ? 'list an AWS profile (or the Sandbox) with its workspaces in the app' : 'stop listing an account in the app; its workspaces stay in the cloud')
      .action(async (name: string) => {
        const { json, settings } = await open(program.opts<GlobalOptions>());
        await setEnabled(settings, name, enable);
        if (json) io.stdout.write(`${JSON.stringify({ account: name, enabled: enable })}\n`);
        else io.stdout.write(`Account ${name} is ${enable ? 'enabled' : 'disabled'}.\n`);
      });
  }
}

/** Marks a configured account, or an AWS profile not yet configured, enabled or disabled in the settings. */
async function setEnabled(settings: SettingsStore, name: string, enable: boolean): Promise<void> {
  const current = settings.get();
  if (!enable && current.activeAccount === name) {
    throw new PortholeError('usage', `Account ${name} is the active account, which cannot be disabled.`, {
      fix: `Make another one active first, with "porthole account use ACCOUNT".`,
    });
  }
  const configured = current.accounts.find((a) => a.name === name);
  if (configured) {
    settings.set('accounts', current.accounts.map((a) => (a.name === name ? { ...a, enabled: enable } : a)));
    return;
  }
  const profiles = await listAwsProfiles();
  const profile = profiles.find((p) => p.name === name);
  if (!profile) {
    throw new PortholeError('usage', `There is no account or AWS profile "${name}".`, {
      fix: profiles.length > 0 ? `Use "sandbox" or one of: ${profiles.map((p) => p.name).join(', ')}.` : 'Create a profile with "aws configure sso" or "aws configure --profile NAME", or use "sandbox".',
    });
  }
  const added: AccountSettings = { name, kind: 'aws-profile', profile: name, regions: [profile.region ?? current.defaultRegion], enabled: enable };
  settings.set('accounts', [...current.accounts, added]);
}

async function open(options: GlobalOptions): Promise<{ json: boolean; settings: SettingsStore }> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  return { json: options.json === true, settings: new SettingsStore(dataDir) };
}
