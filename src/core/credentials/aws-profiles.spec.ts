import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAwsProfiles } from './aws-profiles.js';

describe('listAwsProfiles', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('finds profiles in the config and credentials files as the AWS CLI does', async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-profiles-'));
    const config = join(dir, 'config');
    const credentials = join(dir, 'credentials');
    await writeFile(
      config,
      ['[default]', 'region = eu-west-1', '', '[profile work]', 'sso_session = corp', 'region = us-east-2', '', '[sso-session corp]', 'sso_region = us-east-1', ''].join('\n'),
    );
    await writeFile(credentials, ['[default]', 'aws_access_key_id = AKIAEXAMPLE', '[ci]', 'aws_access_key_id = AKIAEXAMPLE2', ''].join('\n'));
    const profiles = await listAwsProfiles({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, HOME: dir });
    expect(profiles).toEqual([{ name: 'ci' }, { name: 'default', region: 'eu-west-1' }, { name: 'work', region: 'us-east-2' }]);
  });

  it('is empty when there are no AWS files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-profiles-'));
    expect(await listAwsProfiles({ HOME: dir })).toEqual([]);
  });
});
