import type { AwsProfile } from '../credentials/aws-profiles.js';
import { PortholeError } from '../errors.js';
import { WORKSPACE_HOME, WORKSPACE_USER } from './layer.js';
import { heredoc } from './shell-quote.js';

/**
 * How the AWS CLI on a workspace signs in: one IAM Identity Center session
 * (start URL and region) and a profile per account and role, taken from the
 * desktop profiles the user picked. Configuration only: the box signs in for
 * itself (`porthole aws-login`), so no token or key is ever part of it.
 */
export interface BoxAwsConfig {
  startUrl: string;
  ssoRegion: string;
  profiles: BoxAwsProfile[];
}

export interface BoxAwsProfile {
  name: string;
  accountId: string;
  roleName: string;
  region?: string;
}

/** The `[sso-session]` the box's profiles share; the box's own cache file is named after it. */
export const BOX_SSO_SESSION = 'porthole';
export const BOX_AWS_CONFIG_PATH = `${WORKSPACE_HOME}/.aws/config`;

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+@-]{0,63}$/;
const SAFE_VALUE = /^[^\s\\'"`$;#[\]]+$/;

/**
 * The box's configuration from desktop profiles: each must be an IAM
 * Identity Center profile with an account and a role, and all of them must
 * sign in at the same start URL (one sign-in on the box serves them all).
 */
export function boxAwsConfigFromProfiles(names: readonly string[], desktop: readonly AwsProfile[]): BoxAwsConfig {
  if (names.length === 0) throw new PortholeError('usage', 'No AWS profile was named for the workspace.', { fix: 'Give --aws-profile PROFILE, an IAM Identity Center profile from ~/.aws/config.' });
  const ssoProfiles = desktop.filter((profile) => profile.kind?.type === 'sso').map((profile) => profile.name);
  const offered = ssoProfiles.length > 0 ? `Profiles that sign in with IAM Identity Center here: ${ssoProfiles.join(', ')}.` : 'No profile in ~/.aws/config signs in with IAM Identity Center; add one with "aws configure sso".';
  const picked = names.map((name) => {
    const profile = desktop.find((candidate) => candidate.name === name);
    if (!profile) throw new PortholeError('usage', `There is no AWS profile "${name}" on this computer.`, { fix: offered });
    const kind = profile.kind;
    if (kind?.type !== 'sso') {
      throw new PortholeError('usage', `The AWS profile "${name}" does not sign in with IAM Identity Center, so a workspace cannot sign in with it without copying keys.`, { fix: offered });
    }
    if (!kind.accountId || !kind.roleName) {
      throw new PortholeError('usage', `The AWS profile "${name}" names no account and role (sso_account_id, sso_role_name).`, {
        fix: `Add them to [profile ${name}] in ~/.aws/config, or pick a profile that has them.`,
      });
    }
    for (const [what, value] of [['name', name], ['start URL', kind.startUrl], ['SSO region', kind.ssoRegion], ['role', kind.roleName], ['region', profile.region ?? 'us-east-1']] as const) {
      if (!(what === 'name' ? PROFILE_NAME : SAFE_VALUE).test(value)) {
        throw new PortholeError('usage', `The AWS profile "${name}" has a ${what} Porthole will not write into a workspace's config: "${value.slice(0, 80)}".`, {
          fix: 'Use letters, digits and URL characters only, without spaces or quotes.',
        });
      }
    }
    return { name, accountId: kind.accountId, roleName: kind.roleName, ...(profile.region ? { region: profile.region } : {}), startUrl: kind.startUrl, ssoRegion: kind.ssoRegion };
  });
  const [first] = picked as [(typeof picked)[number], ...typeof picked];
  const other = picked.find((profile) => profile.startUrl !== first.startUrl || profile.ssoRegion !== first.ssoRegion);
  if (other) {
    throw new PortholeError('usage', `The AWS profiles "${first.name}" and "${other.name}" sign in at different start URLs or regions; a workspace signs in at one.`, {
      fix: 'Pick profiles of the same IAM Identity Center, or make a workspace per start URL.',
    });
  }
  return { startUrl: first.startUrl, ssoRegion: first.ssoRegion, profiles: picked.map(({ startUrl: _url, ssoRegion: _region, ...profile }) => profile) };
}

/** ~/.aws/config as the box's CLI reads it. */
export function boxAwsConfigText(config: BoxAwsConfig): string {
  const lines = [`[sso-session ${BOX_SSO_SESSION}]`, `sso_start_url = ${config.startUrl}`, `sso_region = ${config.ssoRegion}`, 'sso_registration_scopes = sso:account:access'];
  for (const profile of config.profiles) {
    lines.push('', `[profile ${profile.name}]`, `sso_session = ${BOX_SSO_SESSION}`, `sso_account_id = ${profile.accountId}`, `sso_role_name = ${profile.roleName}`, `region = ${profile.region ?? config.ssoRegion}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The launch script's step body: the config file, owned by the workspace
 * user and private to it; an earlier ~/.aws/credentials is left alone but
 * nothing is ever written there.
 */
export function boxAwsConfigStep(config: BoxAwsConfig): string {
  return [
    `install -d -o ${WORKSPACE_USER} -g ${WORKSPACE_USER} -m 0700 ${WORKSPACE_HOME}/.aws`,
    heredoc(`cat >${BOX_AWS_CONFIG_PATH}`, boxAwsConfigText(config)),
    `chown ${WORKSPACE_USER}:${WORKSPACE_USER} ${BOX_AWS_CONFIG_PATH}`,
    `chmod 0600 ${BOX_AWS_CONFIG_PATH}`,
  ].join('\n');
}
