import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAwsProfiles, ssoSettingsOf } from '../../src/core/credentials/aws-profiles.js';

describe('AWS profile discovery over real shared files', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-accounts-'));
    const script = join(home, 'creds.sh');
    await writeFile(
      script,
      '#!/bin/sh\necho \'{"Version":1,"AccessKeyId":"AKIDPROCESS","SecretAccessKey":"process-secret","SessionToken":"tok"}\'\n',
    );
    await chmod(script, 0o755);
    const config = join(home, 'custom-config');
    const credentials = join(home, 'custom-credentials');
    await writeFile(
      config,
      [
        '[default]',
        'region = eu-west-1',
        '[profile work]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Developer',
        'region = us-east-2',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '[profile legacy]',
        'sso_start_url = https://old.awsapps.com/start',
        'sso_region = eu-central-1',
        'sso_account_id = 444455556666',
        'sso_role_name = Admin',
        '[profile proc]',
        `credential_process = ${script}`,
        'region = ap-southeast-2',
        '[profile admin]',
        'role_arn = arn:aws:iam::111122223333:role/Admin',
        'source_profile = default',
        '[profile deep]',
        'role_arn = arn:aws:iam::111122223333:role/Deep',
        'source_profile = admin',
        '',
      ].join('\n'),
    );
    await writeFile(credentials, ['[default]', 'aws_access_key_id = AKIDEXAMPLE', 'aws_secret_access_key = secret', ''].join('\n'));
    // Files honoured through the environment variables, as the AWS CLI does; HOME has no .aws at all.
    env = { HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('classifies each profile by how it gets credentials, with its region', async () => {
    const profiles = await discoverAwsProfiles(env);
    const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(['admin', 'deep', 'default', 'legacy', 'proc', 'work']);
    expect(byName.default).toEqual({ name: 'default', region: 'eu-west-1', kind: { type: 'static-keys' } });
    expect(byName.work?.region).toBe('us-east-2');
    expect(byName.work?.kind).toEqual({
      type: 'sso',
      session: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      accountId: '111122223333',
      roleName: 'Developer',
    });
    expect(byName.legacy?.kind).toMatchObject({ type: 'sso', startUrl: 'https://old.awsapps.com/start', ssoRegion: 'eu-central-1' });
    expect(byName.legacy?.kind).not.toHaveProperty('session');
    expect(byName.proc).toEqual({ name: 'proc', region: 'ap-southeast-2', kind: { type: 'credential-process' } });
    expect(byName.admin?.kind).toEqual({
      type: 'assume-role',
      roleArn: 'arn:aws:iam::111122223333:role/Admin',
      sourceProfile: 'default',
      chain: ['admin', 'default'],
    });
    expect(byName.deep?.kind).toMatchObject({ type: 'assume-role', chain: ['deep', 'admin', 'default'] });
  });

  it('gives login the session name or the legacy start URL', async () => {
    expect(await ssoSettingsOf('work', env)).toEqual({
      session: 'corp',
      startUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      registrationScopes: 'sso:account:access',
    });
    expect(await ssoSettingsOf('legacy', env)).toEqual({ startUrl: 'https://old.awsapps.com/start', ssoRegion: 'eu-central-1' });
    expect(await ssoSettingsOf('proc', env)).toBeUndefined();
  });

  it('the SDK resolves the credential_process profile by running the real script', async () => {
    const credentials = await fromIni({ profile: 'proc', filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE })();
    expect(credentials.accessKeyId).toBe('AKIDPROCESS');
    expect(credentials.sessionToken).toBe('tok');
  });
});
