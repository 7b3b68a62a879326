import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssoLogin, type DeviceSignInPrompt } from '../../src/core/credentials/sso-login.js';
import { ssoCachePath } from '../../src/core/credentials/sso-token-cache.js';
import { startSsoOidcEmulator, type SsoOidcEmulator } from '../../src/emulator/identity/sso-oidc.js';
import { identityEndpointCliEnv, SSO_WORK_PROFILE } from '../support/sso-profile.js';

const run = promisify(execFile);

describe('IAM Identity Center device sign-in against lightsail-local', () => {
  let home: string;
  let emulator: SsoOidcEmulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startSsoOidcEmulator({ intervalSeconds: 1 });
    home = await mkdtemp(join(tmpdir(), 'porthole-sso-'));
    const config = join(home, 'aws-config');
    await writeFile(
      config,
      [
        ...SSO_WORK_PROFILE,
        '[profile legacy]',
        'sso_start_url = https://old.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_account_id = 444455556666',
        'sso_role_name = Admin',
        'region = eu-west-2',
        '[profile keys]',
        'aws_access_key_id = AKIDEXAMPLE',
        'aws_secret_access_key = secret',
        '',
      ].join('\n'),
    );
    env = {
      HOME: home,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      // The real `aws` runs in this suite: whichever is installed must reach lightsail-local.
      ...(await identityEndpointCliEnv(join(home, 'aws-models'), emulator.url)),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  /** The person reading the code and clicking Allow, after a few polls have been refused as pending. */
  function approveAfter(pendingPolls: number): { openUrl: (p: DeviceSignInPrompt) => void; sleep: (ms: number) => Promise<void>; polls: () => number; prompts: DeviceSignInPrompt[] } {
    const prompts: DeviceSignInPrompt[] = [];
    let polls = 0;
    return {
      prompts,
      polls: () => polls,
      openUrl: (prompt) => void prompts.push(prompt),
      sleep: async (ms) => {
        polls += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 600)));
        if (polls === pendingPolls + 1) {
          const userCode = prompts[0]?.userCode;
          await fetch(`${emulator.url}/_emulator/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode }) });
        }
      },
    };
  }

  it('writes the AWS CLI cache that the real aws command then signs in with', async () => {
    const person = approveAfter(2);
    const result = await ssoLogin({ profile: 'work', env, openUrl: person.openUrl, sleep: person.sleep });
    expect(person.prompts).toHaveLength(1);
    expect(person.prompts[0]?.verificationUriComplete).toContain(person.prompts[0]?.userCode);
    expect(person.polls()).toBeGreaterThanOrEqual(3);
    // sha1("corp"): the name the AWS CLI gives an sso-session's cache file.
    expect(result.cachePath).toBe(join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`));
    const cache = JSON.parse(await readFile(result.cachePath, 'utf8')) as Record<string, string>;
    expect(Object.keys(cache).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
    expect(cache.startUrl).toBe('https://corp.awsapps.com/start');
    expect(cache.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await stat(result.cachePath)).mode & 0o777).toBe(0o600);

    const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--profile', 'work', '--output', 'json'], { env: { ...process.env, ...env } });
    const identity = JSON.parse(stdout) as { Account: string; Arn: string };
    expect(identity.Account).toBe('111122223333');
    expect(identity.Arn).toContain('AWSReservedSSO_Developer');
  });

  it('the portal lists the accounts and roles the signed-in token may use, and nothing without it', async () => {
    const cache = JSON.parse(await readFile(ssoCachePath({ session: 'corp', startUrl: '' }, env), 'utf8')) as Record<string, string>;
    const headers = { 'x-amz-sso_bearer_token': cache.accessToken ?? '' };
    const accounts = (await (await fetch(`${emulator.url}/assignment/accounts`, { headers })).json()) as { accountList: { accountId: string }[] };
    expect(accounts.accountList.map((a) => a.accountId)).toEqual(['111122223333', '444455556666']);
    const roles = (await (await fetch(`${emulator.url}/assignment/roles?account_id=111122223333`, { headers })).json()) as { roleList: { roleName: string }[] };
    expect(roles.roleList.map((r) => r.roleName)).toEqual(['Developer', 'ReadOnly']);
    const refused = await fetch(`${emulator.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': 'forged' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
  });

  it('reuses the valid client registration on the next sign-in', async () => {
    const before = JSON.parse(await readFile(ssoCachePath({ session: 'corp', startUrl: '' }, env), 'utf8')) as Record<string, string>;
    const person = approveAfter(0);
    const result = await ssoLogin({ profile: 'work', env, openUrl: person.openUrl, sleep: person.sleep });
    const after = JSON.parse(await readFile(result.cachePath, 'utf8')) as Record<string, string>;
    expect(result.reusedRegistration).toBe(true);
    expect(after.clientId).toBe(before.clientId);
    expect(after.accessToken).not.toBe(before.accessToken);
  });

  it('a legacy profile caches under the sha1 of its start URL', async () => {
    const person = approveAfter(0);
    const result = await ssoLogin({ profile: 'legacy', env, openUrl: person.openUrl, sleep: person.sleep });
    expect(result.cachePath).toBe(join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('https://old.awsapps.com/start').digest('hex')}.json`));
    const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--profile', 'legacy', '--output', 'json'], { env: { ...process.env, ...env } });
    expect(JSON.parse(stdout)).toMatchObject({ Account: '444455556666' });
  });

  it('polling too fast is told slow_down and backs off; an unapproved code that expires is a clear error', async () => {
    const prompts: DeviceSignInPrompt[] = [];
    const waits: number[] = [];
    let expired = false;
    const attempt = ssoLogin({
      profile: 'work',
      env,
      openUrl: (prompt) => void prompts.push(prompt),
      sleep: async (ms) => {
        waits.push(ms);
        // No wait at all on the first polls, so the service answers slow_down.
        if (waits.length === 3 && !expired) {
          expired = true;
          await fetch(`${emulator.url}/_emulator/sso/expire`, { method: 'POST' });
        }
      },
    });
    await expect(attempt).rejects.toMatchObject({ kind: 'credentials', message: expect.stringContaining('expired before it was approved') });
    expect(waits[2]).toBeGreaterThan(waits[1] ?? Infinity);
  });

  it('a profile without SSO settings is refused with what to add', async () => {
    await expect(ssoLogin({ profile: 'keys', env, openUrl: () => undefined })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('sso_session'),
    });
  });

  it('no token or secret is written anywhere but the AWS CLI cache', async () => {
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    const secrets: string[] = [];
    for (const file of await readdir(cacheDir)) {
      const cache = JSON.parse(await readFile(join(cacheDir, file), 'utf8')) as Record<string, string>;
      secrets.push(cache.accessToken ?? '', cache.clientSecret ?? '', cache.refreshToken ?? '');
    }
    const others = (await readdir(home, { recursive: true })).map((f) => join(home, String(f))).filter((f) => !f.startsWith(cacheDir));
    for (const file of others) {
      if (!(await stat(file)).isFile()) continue;
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    }
  });
});
