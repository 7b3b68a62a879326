import type { AccountHealth, AccountIdentityView, AccountOption } from '../../shared/contract.js';
import { whoAmI } from '../credentials/account-identity.js';
import { discoverAwsProfiles, type AwsProfile } from '../credentials/aws-profiles.js';
import { isPortholeError, PortholeError } from '../errors.js';
import { SANDBOX_ACCOUNT, type AccountSettings } from '../settings/settings-schema.js';
import { toContractError } from './contract-error.js';
import type { DashboardContext, DashboardServiceOptions } from './dashboard-context.js';

export interface KnownHealth {
  health: Exclude<AccountHealth, 'unknown'>;
  message?: string;
  fix?: string;
}

/** This computer's AWS profiles with their kind, as the service was told to find them. */
export function desktopAwsProfiles({ listProfiles, env }: Pick<DashboardServiceOptions, 'listProfiles' | 'env'>): Promise<AwsProfile[]> {
  return listProfiles ? listProfiles() : discoverAwsProfiles(env);
}

/**
 * The accounts the switcher lists: the Sandbox and every AWS profile, with
 * what their credentials did last and who they are to AWS.
 */
export class AccountDirectory {
  readonly #context: DashboardContext;
  /** What each account's credentials did last: the active one's from its poller, the others' from who-am-I. */
  readonly #health = new Map<string, KnownHealth>();
  readonly #identities = new Map<string, AccountIdentityView>();

  constructor(context: DashboardContext) {
    this.#context = context;
  }

  setHealth(account: string, health: KnownHealth): void {
    this.#health.set(account, health);
  }

  /** Why the account's workspaces are not current: its credentials stopped working, as last found. */
  problemOf(account: string): { message: string; fix?: string } | undefined {
    const known = this.#health.get(account);
    if (known?.health !== 'expired') return undefined;
    return { message: known.message ?? `The credentials of ${account} stopped working.`, ...(known.fix ? { fix: known.fix } : {}) };
  }

  profiles(): Promise<AwsProfile[]> {
    return desktopAwsProfiles(this.#context.options);
  }

  async list(): Promise<AccountOption[]> {
    const active = this.#context.options.settings.get().activeAccount;
    const profiles = await this.profiles();
    return [
      { name: SANDBOX_ACCOUNT, kind: 'sandbox', detail: 'lightsail-local on this computer', active: active === SANDBOX_ACCOUNT, health: 'ok', signInKind: 'none' },
      ...profiles.map((p): AccountOption => {
        const identity = this.#identities.get(p.name);
        return {
          name: p.name,
          kind: 'aws-profile',
          detail: p.region ?? '',
          active: active === p.name,
          health: this.#health.get(p.name)?.health ?? 'unknown',
          signInKind: p.kind?.type === 'sso' ? 'sso' : 'none',
          ...(identity ? { identity } : {}),
        };
      }),
    ];
  }

  /** 'sso' when "Sign in" renews the account's credentials (an IAM Identity Center profile). */
  async signInKindOf(account: string): Promise<'sso' | 'none'> {
    if (account === SANDBOX_ACCOUNT) return 'none';
    const profile = this.profileOf(account);
    const found = (await this.profiles().catch(() => [])).find((p) => p.name === profile);
    return found?.kind?.type === 'sso' ? 'sso' : 'none';
  }

  /** The AWS profile behind an account name: the configured account's, or a profile of that name. */
  profileOf(account: string): string {
    if (account === SANDBOX_ACCOUNT) {
      throw new PortholeError('usage', 'The Sandbox account is lightsail-local on this computer: it has no AWS identity and needs no sign-in.', {
        fix: 'Choose an AWS profile for this.',
      });
    }
    const configured = this.#context.options.settings.get().accounts.find((a) => a.name === account);
    return configured?.kind === 'aws-profile' ? configured.profile : account;
  }

  async whoAmI(account: string): Promise<AccountIdentityView> {
    const profile = this.profileOf(account);
    const isActive = () => this.#context.activeSession()?.name === account;
    try {
      const identity = await whoAmI(profile, this.#context.options.env);
      const view: AccountIdentityView = { accountId: identity.accountId, arn: identity.arn, ...(identity.expiresAt ? { expiresAt: identity.expiresAt } : {}) };
      this.#identities.set(account, view);
      if (!isActive()) this.#health.set(account, { health: 'ok' });
      return view;
    } catch (error) {
      // The active account's health is its poller's to say; another's is known only from here.
      if (isPortholeError(error, 'credentials') && !isActive()) {
        const problem = toContractError(error);
        this.#health.set(account, { health: 'expired', message: problem.message, ...(problem.fix ? { fix: problem.fix } : {}) });
      }
      throw error;
    }
  }

  /** Makes sure an account of this name is configured, adding an AWS profile's the first time it is used. */
  async ensureConfigured(name: string): Promise<void> {
    if (name === SANDBOX_ACCOUNT) return;
    const { settings } = this.#context.options;
    const current = settings.get();
    const profiles = await this.profiles();
    const profile = profiles.find((p) => p.name === name);
    if (!profile) {
      throw new PortholeError('usage', `There is no AWS profile "${name}" in the shared AWS config files.`, {
        fix: profiles.length > 0 ? `Use "sandbox" or one of: ${profiles.map((p) => p.name).join(', ')}.` : 'Create one with "aws configure sso", or use "sandbox".',
      });
    }
    if (!current.accounts.some((a) => a.name === name)) {
      const added: AccountSettings = { name, kind: 'aws-profile', profile: name, regions: [profile.region ?? current.defaultRegion] };
      settings.set('accounts', [...current.accounts, added]);
    }
  }
}
