import { describe, expect, it } from 'vitest';
import type { AwsProfile } from '../credentials/aws-profiles.js';
import { awsProfileOptions } from './aws-profile-options.js';

const SSO = { type: 'sso', session: 'corp', startUrl: 'https://corp.awsapps.com/start', ssoRegion: 'us-east-1' } as const;

describe('awsProfileOptions', () => {
  it('offers an IAM Identity Center profile with its account, role and region', () => {
    const desktop: AwsProfile[] = [{ name: 'work', region: 'eu-west-1', kind: { ...SSO, accountId: '111122223333', roleName: 'Developer' } }];
    expect(awsProfileOptions(desktop)).toEqual([{ name: 'work', accountId: '111122223333', roleName: 'Developer', region: 'eu-west-1' }]);
  });

  it('lists a profile without account or role as unusable, saying what to add', () => {
    const [option] = awsProfileOptions([{ name: 'portal', kind: { ...SSO, accountId: '111122223333' } }]);
    expect(option).toEqual({
      name: 'portal',
      accountId: '111122223333',
      problem: { message: 'The AWS profile "portal" names no account and role (sso_account_id, sso_role_name).', fix: 'Add them to [profile portal] in ~/.aws/config, or pick a profile that has them.' },
    });
  });

  it('leaves out profiles that do not sign in with IAM Identity Center', () => {
    const desktop: AwsProfile[] = [
      { name: 'keys', kind: { type: 'static-keys' } },
      { name: 'admin', kind: { type: 'assume-role', roleArn: 'arn:aws:iam::111122223333:role/Admin', sourceProfile: 'keys', chain: ['admin', 'keys'] } },
      { name: 'work', kind: { ...SSO, accountId: '111122223333', roleName: 'Developer' } },
    ];
    expect(awsProfileOptions(desktop).map((option) => option.name)).toEqual(['work']);
  });

  it('lists a profile whose values Porthole will not write into a workspace as unusable', () => {
    const [option] = awsProfileOptions([{ name: 'odd', kind: { ...SSO, accountId: '111122223333', roleName: 'Dev Team' } }]);
    expect(option?.problem?.message).toBe('The AWS profile "odd" has a role Porthole will not write into a workspace\'s config: "Dev Team".');
  });
});
