import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { porthole, PORTHOLE_BIN } from '../support/porthole-cli.js';
import { SSO_WORK_PROFILE } from '../support/sso-profile.js';

interface AccountRow {
  name: string;
  kind: string;
  active: boolean;
  enabled: boolean;
}

/** `porthole account enable|disable` and the identity endpoint `porthole emulator` prints, through the binary. */
describe('porthole account enable and disable, and the emulator identity endpoint', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  const accounts = async (): Promise<AccountRow[]> => {
    const run = await porthole(['--json', 'account'], env);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { accounts: AccountRow[] }).accounts;
  };
  const enabledOf = async (name: string) => (await accounts()).find((a) => a.name === name)?.enabled;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-account-enable-'));
    await writeFile(join(home, 'config'), [...SSO_WORK_PROFILE, '[profile dev]', 'region = eu-west-1', ''].join('\n'));
    await writeFile(join(home, 'credentials'), ['[dev]', 'aws_access_key_id = AKIAEXAMPLEDEV', 'aws_secret_access_key = not-a-real-secret', ''].join('\n'));
    env = { HOME: home, PORTHOLE_HOME: join(home, 'porthole'), AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('enables and disables an AWS profile, shown in porthole account as text and JSON', async () => {
    expect(await enabledOf('work')).toBe(false);
    const enable = await porthole(['account', 'enable', 'work'], env);
    expect(enable.code, enable.stderr).toBe(0);
    expect(enable.stdout).toBe('Account work is enabled.\n');
    expect(await enabledOf('work')).toBe(true);
    expect((await porthole(['account'], env)).stdout).toMatch(/work\s+sso\s+us-east-1\s+yes/);

    const disable = await porthole(['--json', 'account', 'disable', 'work'], env);
    expect(disable.code, disable.stderr).toBe(0);
    expect(JSON.parse(disable.stdout)).toEqual({ account: 'work', enabled: false });
    expect(await enabledOf('work')).toBe(false);
    expect((await porthole(['account'], env)).stdout).toMatch(/work\s+sso\s+us-east-1\s+no/);
    // The profile stays configured with its region, so enabling it again lists it as before.
    const settings = JSON.parse(await readFile(join(home, 'porthole', 'settings.json'), 'utf8')) as { accounts: Array<Record<string, unknown>> };
    expect(settings.accounts.find((a) => a.name === 'work')).toEqual({ name: 'work', kind: 'aws-profile', profile: 'work', regions: ['us-east-1'], enabled: false });
  });

  it('refuses an unknown profile with the ones there are, and changes nothing', async () => {
    const before = await accounts();
    const run = await porthole(['account', 'enable', 'nobody'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('There is no account or AWS profile "nobody"');
    expect(run.stderr).toMatch(/one of: dev, work/);
    const json = await porthole(['--json', 'account', 'disable', 'nobody'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: expect.objectContaining({ kind: 'usage', message: expect.stringContaining('"nobody"') }) });
    expect(await accounts()).toEqual(before);
  });

  it('will not disable the active account, and says to switch first; another account can be', async () => {
    const active = await porthole(['account', 'disable', 'sandbox'], env);
    expect(active.code).toBe(2);
    expect(active.stderr).toContain('sandbox is the active account');
    expect(active.stderr).toContain('porthole account use');
    expect(await enabledOf('sandbox')).toBe(true);

    expect((await porthole(['account', 'use', 'dev'], env)).code).toBe(0);
    expect((await porthole(['account', 'disable', 'sandbox'], env)).code).toBe(0);
    expect((await accounts()).filter((a) => a.enabled).map((a) => a.name)).toEqual(['dev']);
    expect((await porthole(['account', 'enable', 'sandbox'], env)).code).toBe(0);
    expect((await accounts()).filter((a) => a.enabled).map((a) => a.name)).toEqual(['sandbox', 'dev']);
  });

  it('porthole emulator prints its IAM Identity Center and STS endpoint, in text and JSON, and that endpoint answers', async () => {
    const json = await firstLines(['--json', 'emulator', '--state', join(home, 'emulator.json')], 1);
    const info = JSON.parse(json[0]!) as { endpoint: string; identityEndpoint: string };
    expect(info.identityEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.identityEndpoint).not.toBe(info.endpoint);
    const text = (await firstLines(['emulator', '--state', join(home, 'emulator.json')], 5)).join('\n');
    const printed = /IAM Identity Center sign-in and STS are on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
    expect(printed, text).not.toBeNull();
    expect(text).toContain('AWS_ENDPOINT_URL_SSO_OIDC');
    // The Sandbox account's own lightsail-local (no --state) says it too.
    const sandbox = JSON.parse((await firstLines(['--json', 'emulator'], 1))[0]!) as { identityEndpoint?: string };
    expect(sandbox.identityEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  /** Starts the command, reads its first lines, checks the printed identity endpoint answers while it runs, then stops it. */
  async function firstLines(args: string[], count: number): Promise<string[]> {
    const child = spawn(process.execPath, [PORTHOLE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const lines = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const all = out.split('\n');
          if (all.length > count) resolve(all.slice(0, count));
        });
        child.once('exit', (code) => reject(new Error(`porthole ${args.join(' ')} exited with ${code}`)));
      });
      const identity = /(?:"identityEndpoint":"|are on )(http:\/\/127\.0\.0\.1:\d+)/.exec(lines.join('\n'))?.[1];
      // Its control route answers only there: the sibling server that signs people in.
      const answer = await fetch(`${identity}/_emulator/sso/expire`, { method: 'POST' });
      expect(await answer.json()).toEqual({ expired: true });
      return lines;
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }
});
