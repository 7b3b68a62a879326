import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsoOidcEmulator, type SsoOidcEmulator } from '../../src/emulator/identity/sso-oidc.js';
import { porthole } from '../support/porthole-cli.js';
import { identityEndpointEnv, SSO_WORK_PROFILE } from '../support/sso-profile.js';

describe('porthole login and porthole account whoami through the binary', () => {
  let home: string;
  let emulator: SsoOidcEmulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startSsoOidcEmulator({ intervalSeconds: 1 });
    home = await mkdtemp(join(tmpdir(), 'porthole-sso-cli-'));
    const config = join(home, 'aws-config');
    await writeFile(
      config,
      [
        ...SSO_WORK_PROFILE,
        '',
      ].join('\n'),
    );
    // The person in the browser: reads the code from the link and clicks Allow.
    const browser = join(home, 'browser.sh');
    await writeFile(
      browser,
      `#!/bin/sh\ncode=$(printf '%s' "$1" | sed 's/.*user_code=//')\nsleep 1.5\ncurl -s -X POST -d "{\\"userCode\\":\\"$code\\"}" ${emulator.url}/_emulator/sso/approve > "$HOME/approved"\n`,
    );
    await chmod(browser, 0o755);
    env = {
      HOME: home,
      PORTHOLE_HOME: join(home, 'porthole'),
      BROWSER: browser,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      ...identityEndpointEnv(emulator.url),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses to sign in to the Sandbox, or a profile without IAM Identity Center, saying what to do', async () => {
    const sandbox = await porthole(['login'], env);
    expect(sandbox.code).not.toBe(0);
    expect(sandbox.stderr).toContain('The Sandbox account needs no sign-in');
    expect(sandbox.stderr).toContain('porthole login PROFILE');
    const unknown = await porthole(['login', 'nobody'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('There is no AWS profile "nobody"');
  });

  it('signs in through the browser, then whoami names the account, role and expiry', async () => {
    const login = await porthole(['login', 'work'], env);
    expect(login.stderr).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/start\/#\/device\?user_code=\w{4}-\w{4}/);
    expect(login.stdout).toMatch(/^Signed in: profile work until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/m);
    expect(login.code).toBe(0);
    expect(await readFile(join(home, 'approved'), 'utf8')).toContain('approved');

    const whoami = await porthole(['--json', 'account', 'whoami', 'work'], env);
    expect(whoami.code).toBe(0);
    const identity = JSON.parse(whoami.stdout) as { accountId: string; arn: string; kind: string; expiresAt: string };
    expect(identity).toMatchObject({ accountId: '111122223333', kind: 'sso' });
    expect(identity.arn).toContain('AWSReservedSSO_Developer');
    expect(Date.parse(identity.expiresAt)).toBeGreaterThan(Date.now());

    const list = await porthole(['account'], env);
    expect(list.stdout).toMatch(/work\s+sso\s+us-east-1/);
  });

  it('after the sign-in expires, whoami says so and how to sign in again', async () => {
    await fetch(`${emulator.url}/_emulator/sso/expire`, { method: 'POST' });
    const whoami = await porthole(['account', 'whoami', 'work'], env);
    expect(whoami.code).not.toBe(0);
    expect(whoami.stderr).toContain('porthole login work');
  });

  it('no token or secret reaches the output, the data dir or anywhere but the AWS CLI cache', async () => {
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    const [file] = await readdir(cacheDir);
    const cache = JSON.parse(await readFile(join(cacheDir, String(file)), 'utf8')) as Record<string, string>;
    const secrets = [cache.accessToken, cache.clientSecret, cache.refreshToken].filter((s): s is string => Boolean(s));
    expect(secrets.length).toBe(3);
    const login = await porthole(['login', 'work'], env);
    const whoami = await porthole(['--json', 'account', 'whoami', 'work'], env);
    const fresh = JSON.parse(await readFile(join(cacheDir, String(file)), 'utf8')) as Record<string, string>;
    secrets.push(fresh.accessToken ?? '', fresh.refreshToken ?? '');
    const output = [login.stdout, login.stderr, whoami.stdout, whoami.stderr].join('\n');
    for (const secret of secrets) expect(output.includes(secret)).toBe(false);
    for (const entry of await readdir(home, { recursive: true })) {
      const path = join(home, String(entry));
      if (path.startsWith(cacheDir) || !(await stat(path)).isFile()) continue;
      const text = await readFile(path, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), path).toBe(false);
    }
  });
});
