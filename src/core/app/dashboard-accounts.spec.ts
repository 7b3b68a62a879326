import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract.js';
import { SANDBOX_CREDENTIALS, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { identityEndpointEnv, SSO_WORK_PROFILE } from '../../../test/support/sso-profile.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';
import { SettingsStore } from '../settings/settings-store.js';
import { contractErrorOf } from './contract-error.js';
import { DashboardService } from './dashboard-service.js';

/**
 * The dashboard's accounts over lightsail-local's IAM Identity Center and
 * STS: health and who-am-I per account, the device sign-in that answers with
 * a code and finishes in the background, its refusals, replacement,
 * cancellation and expiry, and that no token ever leaves in an event.
 */
describe('DashboardService accounts and sign-in', () => {
  let emulator: RunningEmulator;
  let home: string;
  let service: DashboardService;
  const opened: string[] = [];
  const events: Array<{ event: EventName; payload: EventPayload<EventName> }> = [];
  const saved = { ...process.env };

  const finished = () => events.filter((e) => e.event === 'signInFinished').map((e) => e.payload as EventPayload<'signInFinished'>);
  const approve = (userCode: string) => fetch(`${emulator.identityEndpoint}/_emulator/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode }) });
  const nextFinish = async (count: number) => {
    await expect.poll(() => finished().length, { timeout: 10_000 }).toBe(count);
    return finished()[count - 1]!;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 5, identity: { intervalSeconds: 1, roleCredentialSeconds: 60 } });
    home = await mkdtemp(join(tmpdir(), 'porthole-dashboard-accounts-'));
    await writeFile(join(home, 'config'), [...SSO_WORK_PROFILE, '[profile dev]', 'region = eu-west-1', ''].join('\n'));
    await writeFile(join(home, 'credentials'), ['[dev]', 'aws_access_key_id = AKIAEXAMPLEDEV', 'aws_secret_access_key = not-a-real-secret', ''].join('\n'));
    // The SDK finds the token cache under HOME and the portal through these, as the AWS CLI does.
    Object.assign(process.env, {
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      ...identityEndpointEnv(emulator.identityEndpoint),
    });
    const dataDir = join(home, 'porthole');
    service = await DashboardService.open({
      dataDir,
      settings: new SettingsStore(dataDir),
      secrets: new KeytarSecretStore(`porthole-test-${randomUUID()}`),
      connectSandbox: async () => ({ endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, release: async () => {} }),
      copyToClipboard: async () => {},
      openExternal: async (url) => void opened.push(url),
    });
    service.events.subscribe((event, payload) => events.push({ event, payload }));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await emulator?.close();
    process.env = saved;
    await rm(home, { recursive: true, force: true });
  });

  it('lists each account with its health and whether Sign in applies', async () => {
    expect(await service.handlers.listAccounts()).toEqual([
      { name: 'sandbox', kind: 'sandbox', detail: 'lightsail-local on this computer', active: true, health: 'ok', signInKind: 'none' },
      { name: 'dev', kind: 'aws-profile', detail: 'eu-west-1', active: false, health: 'unknown', signInKind: 'none' },
      { name: 'work', kind: 'aws-profile', detail: 'us-east-1', active: false, health: 'unknown', signInKind: 'sso' },
    ]);
  });

  it('who-am-I: the Sandbox has no AWS identity; a profile never signed in is marked as needing a sign-in, with how', async () => {
    const sandbox = contractErrorOf(await service.handlers.whoAmI({}).catch((error: unknown) => error));
    expect(sandbox).toMatchObject({ kind: 'usage', message: expect.stringContaining('no AWS identity') });
    const work = contractErrorOf(await service.handlers.whoAmI({ account: 'work' }).catch((error: unknown) => error));
    expect(work).toMatchObject({ kind: 'credentials', fix: expect.stringContaining('porthole login work') });
    expect((await service.handlers.listAccounts()).find((a) => a.name === 'work')?.health).toBe('expired');
  });

  it('refuses to sign in to the Sandbox, a profile with keys, or one that does not exist, before any browser opens', async () => {
    for (const [account, said] of [
      ['sandbox', 'needs no sign-in'],
      ['dev', 'does not sign in with IAM Identity Center'],
      ['nobody', 'There is no AWS profile "nobody"'],
    ] as const) {
      const refused = contractErrorOf(await service.handlers.signIn({ account }).catch((error: unknown) => error));
      expect(refused).toMatchObject({ kind: 'usage', message: expect.stringContaining(said) });
    }
    expect(opened).toEqual([]);
    expect(finished()).toEqual([]);
  });

  it('signs in: answers with the code and the link it opened, finishes when the code is approved, and who-am-I then answers', async () => {
    const prompt = await service.handlers.signIn({ account: 'work' });
    expect(prompt.verificationUri).toContain(`user_code=${prompt.userCode}`);
    expect(opened).toEqual([prompt.verificationUri]);
    expect(Date.parse(prompt.expiresAt)).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(finished()).toEqual([]);

    expect((await approve(prompt.userCode)).status).toBe(200);
    expect(await nextFinish(1)).toEqual({ account: 'work', ok: true });
    const work = (await service.handlers.listAccounts()).find((a) => a.name === 'work');
    expect(work).toMatchObject({ health: 'ok', identity: { accountId: '111122223333', arn: expect.stringContaining('AWSReservedSSO_Developer') } });
    expect(Date.parse(work?.identity?.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(await service.handlers.whoAmI({ account: 'work' })).toMatchObject({ accountId: '111122223333' });
  });

  it('a second sign-in replaces the first (only it reports), and Cancel ends it with ok false', async () => {
    const first = await service.handlers.signIn({ account: 'work' });
    const second = await service.handlers.signIn({ account: 'work' });
    expect(second.userCode).not.toBe(first.userCode);
    expect(await service.handlers.cancelSignIn({ account: 'work' })).toEqual({ cancelled: true });
    expect(await nextFinish(2)).toEqual({ account: 'work', ok: false, message: expect.stringContaining('cancelled') });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(finished()).toHaveLength(2);
    expect(await service.handlers.cancelSignIn({ account: 'work' })).toEqual({ cancelled: false });
  });

  it('a code that expires before approval ends the sign-in with ok false and what to do', async () => {
    await service.handlers.signIn({ account: 'work' });
    await fetch(`${emulator.identityEndpoint}/_emulator/sso/expire`, { method: 'POST' });
    expect(await nextFinish(3)).toEqual({ account: 'work', ok: false, message: expect.stringMatching(/expired before it was approved.*again/) });
  });

  it('opens on an account whose sign-in has expired: says so once, pauses, and a sign-in from the dashboard brings it back', async () => {
    process.env.AWS_ENDPOINT_URL_LIGHTSAIL = emulator.endpoint;
    const dataDir = join(home, 'porthole-work');
    const settings = new SettingsStore(dataDir);
    settings.set('accounts', [
      { name: 'sandbox', kind: 'sandbox', regions: ['us-east-1'] },
      { name: 'work', kind: 'aws-profile', profile: 'work', regions: ['us-east-1'] },
    ]);
    settings.set('activeAccount', 'work');
    const seen: typeof events = [];
    const work = await DashboardService.open({
      dataDir,
      settings,
      secrets: new KeytarSecretStore(`porthole-test-${randomUUID()}`),
      connectSandbox: async () => {
        throw new Error('not the Sandbox');
      },
      copyToClipboard: async () => {},
      openExternal: async (url) => void (await approve(new URL(url.replace('#', '')).searchParams.get('user_code') ?? '')),
    });
    work.events.subscribe((event, payload) => {
      seen.push({ event, payload });
      events.push({ event, payload });
    });
    try {
      await expect.poll(() => seen.filter((e) => e.event === 'accountHealth').length, { timeout: 10_000 }).toBe(1);
      expect(seen.find((e) => e.event === 'accountHealth')?.payload).toMatchObject({ account: 'work', health: 'expired', fix: expect.stringContaining('porthole login') });
      expect(seen.filter((e) => e.event === 'notice').map((e) => e.payload)).toEqual([
        { level: 'error', title: 'Sign-in needed for work', message: expect.stringContaining('porthole login'), action: { kind: 'signIn', account: 'work' } },
      ]);
      expect((await work.handlers.listAccounts()).find((a) => a.name === 'work')?.health).toBe('expired');
      // Refresh while paused answers with what is known; the banner, not an error, says why.
      expect(await work.handlers.refreshWorkspaces()).toEqual([]);
      expect(seen.filter((e) => e.event === 'notice')).toHaveLength(1);

      await work.handlers.signIn({ account: 'work' });
      await expect.poll(() => seen.filter((e) => e.event === 'signInFinished').length, { timeout: 10_000 }).toBe(1);
      expect(seen.filter((e) => e.event === 'accountHealth').map((e) => (e.payload as EventPayload<'accountHealth'>).health)).toEqual(['expired', 'ok']);
      expect(seen.find((e) => e.event === 'signInFinished')?.payload).toEqual({ account: 'work', ok: true });
      expect((await work.handlers.listAccounts()).find((a) => a.name === 'work')?.health).toBe('ok');
    } finally {
      await work.close();
    }
  });

  it('no token, client secret or key is in any event', async () => {
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    const secrets: string[] = ['not-a-real-secret'];
    for (const file of await readdir(cacheDir)) {
      const cached = JSON.parse(await readFile(join(cacheDir, file), 'utf8')) as Record<string, unknown>;
      for (const key of ['accessToken', 'refreshToken', 'clientSecret']) if (typeof cached[key] === 'string') secrets.push(cached[key]);
    }
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const sent = JSON.stringify(events);
    expect(sent).toContain('signInFinished');
    for (const secret of secrets) expect(sent).not.toContain(secret);
    expect(sent).not.toMatch(/accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken/);
  });
});
