import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract.js';
import type { AwsProfile } from '../credentials/aws-profiles.js';
import { SANDBOX_CREDENTIALS, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { KeytarSecretStore } from '../secrets/keytar-secret-store.js';
import { SettingsStore } from '../settings/settings-store.js';
import { contractErrorOf } from './contract-error.js';
import { DashboardService } from './dashboard-service.js';

/**
 * The service both the app and `porthole ui` serve, over lightsail-local and
 * the session's keychain (a service name of its own): what each call answers,
 * which mistakes it refuses and where, and what leaves the core.
 */
describe('DashboardService', () => {
  let emulator: RunningEmulator;
  let dataDir: string;
  let service: DashboardService;
  const copied: string[] = [];
  const opened: string[] = [];
  const events: Array<{ event: EventName; payload: EventPayload<EventName> }> = [];
  const WORK: AwsProfile = { name: 'work', region: 'eu-west-1' };
  let desktopProfiles: AwsProfile[] = [WORK];

  beforeAll(async () => {
    emulator = await startEmulator({ timeScale: 100, seed: 11 });
    dataDir = await mkdtemp(join(tmpdir(), 'porthole-dashboard-'));
    service = await DashboardService.open({
      dataDir,
      settings: new SettingsStore(dataDir),
      secrets: new KeytarSecretStore(`porthole-test-${randomUUID()}`),
      connectSandbox: async () => ({ endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, release: async () => {} }),
      copyToClipboard: async (text) => void copied.push(text),
      openExternal: async (url) => void opened.push(url),
      listProfiles: async () => desktopProfiles,
    });
    service.events.subscribe((event, payload) => events.push({ event, payload }));
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says what is wrong with a name, and null for a good one', async () => {
    const { validateName } = service.handlers;
    expect(await validateName({ name: 'Box' })).toEqual({ field: 'name', message: expect.stringMatching(/uppercase "B" at position 1/), fix: expect.stringContaining('"box"') });
    expect(await validateName({ name: '-box' })).toMatchObject({ field: 'name', message: expect.stringMatching(/starts with a dash/) });
    expect(await validateName({ name: 'box' })).toBeNull();
  });

  it('offers the regions, the Linux bundles cheapest first with their prices, and the built-in layers', async () => {
    const catalog = await service.handlers.getCatalog({});
    expect(catalog.region).toBe('us-east-1');
    expect(catalog.regions.map((r) => r.name)).toContain('eu-west-1');
    const prices = catalog.bundles.map((b) => b.priceMonthlyUsd);
    expect(prices.length).toBeGreaterThan(2);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(catalog.bundles.find((b) => b.id === catalog.defaults.bundleId)?.priceMonthlyUsd).toBeGreaterThan(0);
    expect(catalog.layers.map((l) => l.name)).toEqual(['base', 'aws', 'developer', 'devops', 'admin']);
    expect(catalog.images).toEqual([]);
  });

  it('refuses a create with a bad field before making anything, naming the field', async () => {
    const refusal = async (request: Parameters<typeof service.handlers.createWorkspace>[0]) =>
      contractErrorOf(await service.handlers.createWorkspace(request).then(() => undefined, (error: unknown) => error));
    expect(await refusal({ name: 'Bad_Name' })).toMatchObject({ kind: 'usage', field: 'name' });
    expect(await refusal({ name: 'fine', layers: ['base', 'nope'] })).toMatchObject({ field: 'layers', message: 'Unknown layer: nope.', fix: expect.stringContaining('developer') });
    expect(await refusal({ name: 'fine', image: 'golden' })).toMatchObject({ field: 'image', message: 'There is no image "golden" in us-east-1.', fix: expect.stringContaining('porthole bake') });
    expect(await refusal({ name: 'fine', idleTimeoutMinutes: 1 })).toMatchObject({ field: 'idleTimeoutMinutes' });
    expect(await service.handlers.listWorkspaces()).toEqual([]);
  });

  it("offers the desktop's IAM Identity Center profiles for the workspace's AWS CLI, and refuses a pick the CLI would refuse, on field awsProfiles", async () => {
    const sso = (startUrl: string) => ({ type: 'sso', session: 'corp', startUrl, ssoRegion: 'us-east-1' }) as const;
    desktopProfiles = [
      WORK,
      { name: 'dev', kind: { ...sso('https://corp.awsapps.com/start'), accountId: '111122223333', roleName: 'Developer' } },
      { name: 'portal', kind: sso('https://corp.awsapps.com/start') },
      { name: 'partner', kind: { ...sso('https://partner.awsapps.com/start'), accountId: '444455556666', roleName: 'ReadOnly' } },
    ];
    try {
      const { awsProfiles } = await service.handlers.getCatalog({});
      expect(awsProfiles.map((p) => [p.name, p.accountId, p.roleName, p.problem?.message])).toEqual([
        ['dev', '111122223333', 'Developer', undefined],
        ['portal', undefined, undefined, 'The AWS profile "portal" names no account and role (sso_account_id, sso_role_name).'],
        ['partner', '444455556666', 'ReadOnly', undefined],
      ]);
      const refusal = async (awsProfiles: string[]) =>
        contractErrorOf(await service.handlers.createWorkspace({ name: 'with-aws', awsProfiles }).then(() => undefined, (error: unknown) => error));
      expect(await refusal(['nope'])).toMatchObject({ field: 'awsProfiles', message: 'There is no AWS profile "nope" on this computer.', fix: expect.stringContaining('dev, portal, partner') });
      expect(await refusal(['work'])).toMatchObject({ field: 'awsProfiles', message: expect.stringContaining('does not sign in with IAM Identity Center') });
      expect(await refusal(['portal'])).toMatchObject({ field: 'awsProfiles', fix: 'Add them to [profile portal] in ~/.aws/config, or pick a profile that has them.' });
      expect(await refusal(['dev', 'partner'])).toMatchObject({ field: 'awsProfiles', message: expect.stringContaining('different start URLs'), fix: expect.stringContaining('same IAM Identity Center') });
      expect(await service.handlers.listWorkspaces()).toEqual([]);
    } finally {
      desktopProfiles = [WORK];
    }
  });

  it('creates a workspace, streaming its progress and the change, and logging the outcome', async () => {
    const { workspace } = await service.handlers.createWorkspace({ name: 'svc-demo', layers: ['base'], idleTimeoutMinutes: 30 });
    expect(workspace).toMatchObject({ name: 'svc-demo', state: 'ready', idleTimeoutMinutes: 30, hasPassword: true });
    const progress = events.filter((e) => e.event === 'operationProgress').map((e) => e.payload as EventPayload<'operationProgress'>);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)!.progress).toMatchObject({ kind: 'create', index: progress.at(-1)!.progress.total });
    expect(events.some((e) => e.event === 'workspaceChanged' && (e.payload as EventPayload<'workspaceChanged'>).workspace.state === 'ready')).toBe(true);
    const log = await service.handlers.listActivity({});
    // The operation's own lines only: the state changes it caused are not logged again as news.
    expect(log.map((e) => e.message)).toEqual(['Creating svc-demo…', 'svc-demo created; it is ready.']);
    expect(await service.handlers.validateName({ name: 'svc-demo' })).toMatchObject({ message: expect.stringMatching(/already exists in us-east-1/) });
  }, 60_000);

  it('puts the password on the clipboard and nowhere else: not in the answer, the events or the log', async () => {
    const answer = await service.handlers.copyPassword({ name: 'svc-demo' });
    expect(answer).toEqual({ copied: true });
    expect(copied).toHaveLength(1);
    const password = copied[0]!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(JSON.stringify(events)).not.toContain(password);
    expect(JSON.stringify(await service.handlers.listActivity({}))).not.toContain(password);
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).not.toContain(password);
  });

  it('opens a Sandbox workspace in the browser only where its sshd and code-server run, and otherwise says how to get them', async () => {
    // This lightsail-local runs no processes for its instances, as before "porthole sandbox install".
    const refused = contractErrorOf(await service.handlers.openInBrowser({ name: 'svc-demo' }).catch((error: unknown) => error));
    expect(`${refused.message} ${refused.fix}`).toContain('porthole sandbox install');
    expect(opened).toEqual([]);
  });

  it('refuses a bad default region with the field named, and keeps the rest', async () => {
    const refused = contractErrorOf(await service.handlers.updateSettings({ defaultRegion: 'mars' }).catch((error: unknown) => error));
    expect(refused.field).toBe('defaultRegion');
    const saved = await service.handlers.updateSettings({ launchAtLogin: true, notifications: { idleWarning: false } as never });
    expect(saved).toMatchObject({ defaultRegion: 'us-east-1', launchAtLogin: true, notifications: { idleWarning: false, idleStop: true } });
  });

  it('lists the Sandbox and the AWS profiles, and refuses a profile that does not exist, staying on the Sandbox', async () => {
    expect(await service.handlers.listAccounts()).toEqual([
      { name: 'sandbox', kind: 'sandbox', detail: 'lightsail-local on this computer', active: true, health: 'ok', signInKind: 'none' },
      { name: 'work', kind: 'aws-profile', detail: 'eu-west-1', active: false, health: 'unknown', signInKind: 'none' },
    ]);
    const refused = contractErrorOf(await service.handlers.useAccount({ name: 'nobody' }).catch((error: unknown) => error));
    expect(refused).toMatchObject({ kind: 'usage', message: expect.stringContaining('"nobody"'), fix: expect.stringContaining('work') });
    expect((await service.handlers.getSettings()).activeAccount).toBe('sandbox');
  });

  it('bakes a ready workspace into an image that the catalog then offers', async () => {
    const bad = contractErrorOf(await service.handlers.bakeWorkspace({ name: 'svc-demo', image: 'Bad Image' }).catch((error: unknown) => error));
    expect(bad.message).toContain('Bad Image');
    const { image } = await service.handlers.bakeWorkspace({ name: 'svc-demo', image: 'svc-image' });
    expect(image).toMatchObject({ name: 'svc-image', region: 'us-east-1' });
    expect((await service.handlers.getCatalog({})).images.map((i) => i.name)).toEqual(['svc-image']);
    expect((await service.handlers.listActivity({})).at(-1)).toMatchObject({ level: 'success', operation: 'bake', message: 'svc-demo baked; it is ready.' });
  }, 60_000);

  it('deletes the workspace, leaving the list empty and the log saying so', async () => {
    await service.handlers.deleteWorkspace({ name: 'svc-demo' });
    expect(await service.handlers.listWorkspaces()).toEqual([]);
    expect(events.some((e) => e.event === 'workspaceRemoved')).toBe(true);
    expect((await service.handlers.listActivity({})).at(-1)).toMatchObject({ level: 'success', message: 'svc-demo deleted.', operation: 'delete' });
  }, 60_000);
});
