import { describe, expect, it } from 'vitest';
import type { AwsProfile } from '../credentials/aws-profiles.js';
import { boxAwsConfigFromProfiles, boxAwsConfigStep, boxAwsConfigText } from './box-aws-config.js';

const sso = (name: string, accountId: string | undefined, roleName: string | undefined, startUrl = 'https://corp.awsapps.com/start'): AwsProfile => ({
  name,
  region: 'eu-west-1',
  kind: { type: 'sso', session: 'corp', startUrl, ssoRegion: 'us-east-1', ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) },
});

const desktop: AwsProfile[] = [
  sso('dev', '111122223333', 'Developer'),
  sso('admin', '444455556666', 'Admin'),
  sso('elsewhere', '777788889999', 'Developer', 'https://other.awsapps.com/start'),
  sso('portal-only', undefined, undefined),
  { name: 'keys', kind: { type: 'static-keys' } },
];

describe('the AWS CLI config of a workspace', () => {
  it('has one sso-session and a profile per chosen account and role, and nothing secret', () => {
    const config = boxAwsConfigFromProfiles(['dev', 'admin'], desktop);
    expect(config).toEqual({
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      profiles: [
        { name: 'dev', accountId: '111122223333', roleName: 'Developer', region: 'eu-west-1' },
        { name: 'admin', accountId: '444455556666', roleName: 'Admin', region: 'eu-west-1' },
      ],
    });
    const text = boxAwsConfigText(config);
    expect(text).toBe(
      [
        '[sso-session porthole]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile dev]',
        'sso_session = porthole',
        'sso_account_id = 111122223333',
        'sso_role_name = Developer',
        'region = eu-west-1',
        '',
        '[profile admin]',
        'sso_session = porthole',
        'sso_account_id = 444455556666',
        'sso_role_name = Admin',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
    const step = boxAwsConfigStep(config);
    expect(step).toContain('cat >/home/porthole/.aws/config <<');
    expect(step).toContain('chmod 0600 /home/porthole/.aws/config');
    expect(step).not.toMatch(/credentials|aws_access_key_id|aws_secret_access_key|aws_session_token/);
  });

  it('refuses, saying which to pick, profiles that are missing, use keys, lack a role, or sign in elsewhere', () => {
    expect(() => boxAwsConfigFromProfiles(['nope'], desktop)).toThrow(/no AWS profile "nope".*IAM Identity Center here: dev, admin, elsewhere, portal-only/);
    expect(() => boxAwsConfigFromProfiles(['keys'], desktop)).toThrow(/"keys" does not sign in with IAM Identity Center, so a workspace cannot sign in with it without copying keys/);
    expect(() => boxAwsConfigFromProfiles(['portal-only'], desktop)).toThrow(/names no account and role \(sso_account_id, sso_role_name\)/);
    expect(() => boxAwsConfigFromProfiles(['dev', 'elsewhere'], desktop)).toThrow(/"dev" and "elsewhere" sign in at different start URLs/);
    expect(() => boxAwsConfigFromProfiles([], desktop)).toThrow(/--aws-profile PROFILE/);
  });

  it('will not write a value that could break out of the config file', () => {
    const sneaky = [sso('dev', '111122223333', "Dev'eloper\n[profile x]")];
    expect(() => boxAwsConfigFromProfiles(['dev'], sneaky)).toThrow(/has a role Porthole will not write/);
  });
});
