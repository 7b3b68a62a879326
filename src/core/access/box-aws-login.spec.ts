import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/workspace.js';
import { awsSignInTarget, boxAwsLoginCommand, parseAwsSignInPrompt } from './box-aws-login.js';

/** What Debian's AWS CLI 2.9 prints for `aws sso login --no-browser`, before it waits for the approval. */
const NO_BROWSER_OUTPUT = [
  'Browser will not be automatically opened.',
  'Please visit the following URL:',
  '',
  'http://127.0.0.1:37709/start/#/device',
  '',
  'Then enter the code:',
  '',
  '978F-7E86',
  '',
  'Alternatively, you may visit the following URL which will autofill the code upon loading:',
  'http://127.0.0.1:37709/start/#/device?user_code=978F-7E86',
  '',
].join('\n');

describe('signing in to AWS on a workspace', () => {
  it('reads the link and code from the CLI once both have been printed', () => {
    expect(parseAwsSignInPrompt(NO_BROWSER_OUTPUT.slice(0, NO_BROWSER_OUTPUT.indexOf('Alternatively')))).toBeUndefined();
    expect(parseAwsSignInPrompt(NO_BROWSER_OUTPUT)).toEqual({
      verificationUri: 'http://127.0.0.1:37709/start/#/device',
      userCode: '978F-7E86',
      verificationUriComplete: 'http://127.0.0.1:37709/start/#/device?user_code=978F-7E86',
    });
  });

  it('runs the CLI as the workspace user, with the profile as one quoted word', () => {
    const command = boxAwsLoginCommand("dev'; rm -rf ~");
    expect(command).toContain('sudo -n -H -u porthole env PATH=/usr/local/bin:/usr/bin:/bin sh -c');
    expect(command).toContain('aws sso login --no-browser $device --profile');
    expect(command).not.toContain("--profile dev'; rm");
  });

  it('signs in with one of the profiles the workspace was created with, the first by default', () => {
    const workspace = { name: 'demo', region: 'us-east-1', state: 'ready', publicIp: '127.0.0.1', aws: { profiles: ['dev', 'admin'] } } as Workspace;
    expect(awsSignInTarget(workspace)).toEqual({ target: { workspace: 'demo', region: 'us-east-1' }, profile: 'dev' });
    expect(awsSignInTarget(workspace, 'admin').profile).toBe('admin');
    expect(() => awsSignInTarget(workspace, 'prod')).toThrow(/has no AWS profile "prod". Use one of: dev, admin./);
    expect(() => awsSignInTarget({ ...workspace, aws: undefined } as unknown as Workspace)).toThrow(/has no AWS profiles.*--aws-profile/);
    expect(() => awsSignInTarget({ ...workspace, state: 'stopped' })).toThrow(/is stopped; signing in to AWS needs its instance running/);
  });
});
