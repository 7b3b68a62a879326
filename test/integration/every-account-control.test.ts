import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardService } from '../../src/core/app/dashboard-service.js';
import { contractErrorOf } from '../../src/core/app/contract-error.js';
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { SANDBOX_ACCOUNT } from '../../src/core/settings/settings-schema.js';
import { openAccountEngine } from '../../src/core/workspaces/account-engine.js';
import { SANDBOX_CREDENTIALS, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { EventName, EventPayload } from '../../src/shared/contract.js';
import type { Workspace } from '../../src/shared/workspace.js';
import { activeProfileSettings, writeStaticProfile } from '../support/profile-settings.js';

/**
 * All accounts as a control: the Sandbox active, and the AWS profile "team"
 * (a second lightsail-local standing in for its account) enabled beside it.
 * The service stops, starts, hibernates and copies the password of a team
 * workspace without switching, and the team's changes stream in live from
 * its own engine and poller.
 */
describe('acting on another enabled account without switching', () => {
  let home: string;
  let sandbox: RunningEmulator;
  let team: RunningEmulator;
  let service: DashboardService;
  let teamPassword: string;
  const copied: string[] = [];
  const events: Array<{ event: EventName; payload: EventPayload<EventName> }> = [];
  const saved = { ...process.env };
  const secrets = new KeytarSecretStore(`porthole-test-${randomUUID()}`);
  const ref = { name: 'teamwork', account: 'team' };

  const teamChanges = () =>
    events
      .filter((e) => e.event === 'workspaceChanged')
      .map((e) => (e.payload as EventPayload<'workspaceChanged'>).workspace)
      .filter((w: Workspace) => w.account === 'team' && w.name === 'teamwork');

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-every-account-'));
    [sandbox, team] = await Promise.all([startEmulator({ timeScale: 100, seed: 3 }), startEmulator({ timeScale: 100, seed: 4 })]);
    Object.assign(process.env, { HOME: home, ...(await writeStaticProfile(home, 'team')), AWS_ENDPOINT_URL_LIGHTSAIL: team.endpoint });
    const dataDir = join(home, 'porthole');
    const settings = activeProfileSettings(dataDir, 'team', team.endpoint);
    // The team's workspace, made while team was active; then the Sandbox becomes the active account.
    const opened = await openAccountEngine({ dataDir, settings, secrets, instanceStatus: false });
    try {
      await opened.engine.create({ name: 'teamwork', idleTimeoutMinutes: 0 });
      teamPassword = await opened.engine.password('teamwork');
    } finally {
      opened.close();
    }
    settings.set('activeAccount', SANDBOX_ACCOUNT);
    service = await DashboardService.open({
      dataDir,
      settings,
      secrets,
      connectSandbox: async () => ({ endpoint: sandbox.endpoint, credentials: SANDBOX_CREDENTIALS, release: async () => {} }),
      copyToClipboard: async (text) => void copied.push(text),
      openExternal: async () => {},
      listProfiles: async () => [{ name: 'team', region: 'us-east-1' }],
    });
    service.events.subscribe((event, payload) => events.push({ event, payload }));
    await service.whenAccountsOpen();
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await Promise.all([sandbox?.close(), team?.close()]);
    process.env = saved;
    await rm(home, { recursive: true, force: true });
  });

  it('lists both accounts from their own engines, the Sandbox still the active one', async () => {
    const listing = await service.handlers.listEveryAccount();
    expect(listing.accounts).toEqual([
      { name: 'sandbox', listed: true, count: 0 },
      { name: 'team', listed: true, count: 1 },
    ]);
    expect(listing.workspaces.map((w) => [w.account, w.name])).toEqual([['team', 'teamwork']]);
    expect(service.account).toBe('sandbox');
    expect(await service.handlers.listWorkspaces()).toEqual([]);
  });

  it('stops the team workspace from the Sandbox, its change streaming in live and logged with the account', async () => {
    await expect.poll(async () => (await service.handlers.listEveryAccount()).workspaces[0]?.state, { timeout: 20_000 }).toBe('ready');
    const { workspace } = await service.handlers.stopWorkspace(ref);
    expect(workspace).toMatchObject({ name: 'teamwork', account: 'team', state: 'stopped' });
    expect(teamChanges().map((w) => w.state)).toContain('stopping');
    expect(events.some((e) => e.event === 'operationProgress' && (e.payload as EventPayload<'operationProgress'>).account === 'team')).toBe(true);
    const log = (await service.handlers.listActivity({})).map((e) => e.message);
    expect(log).toEqual(expect.arrayContaining(['Stopping teamwork (team)…', 'teamwork (team) stopped.']));
    expect(events.some((e) => e.event === 'notice' && (e.payload as EventPayload<'notice'>).title === 'teamwork (team) stopped')).toBe(true);
    // Still on the Sandbox: its list never held the team's workspace.
    expect(service.account).toBe('sandbox');
    expect(await service.handlers.listWorkspaces()).toEqual([]);
    expect((await service.handlers.getSettings()).activeAccount).toBe('sandbox');
  }, 60_000);

  it('starts it again and copies its password, both without switching', async () => {
    const before = teamChanges().length;
    const { workspace } = await service.handlers.startWorkspace(ref);
    expect(['ready', 'provisioning']).toContain(workspace.state);
    expect(teamChanges().slice(before).map((w) => w.state)).toContain('starting');
    expect(await service.handlers.copyPassword(ref)).toEqual({ copied: true });
    expect(copied).toEqual([teamPassword]);
    expect(JSON.stringify(events)).not.toContain(teamPassword);
  }, 60_000);

  it('hibernates it, and the listing follows from the team poller', async () => {
    await expect.poll(async () => (await service.handlers.listEveryAccount()).workspaces[0]?.state, { timeout: 20_000 }).toBe('ready');
    const { workspace } = await service.handlers.hibernateWorkspace(ref);
    expect(workspace.state).toBe('hibernated');
    expect(teamChanges().at(-1)?.state).toBe('hibernated');
    expect((await service.handlers.listEveryAccount()).workspaces).toEqual([expect.objectContaining({ name: 'teamwork', account: 'team', state: 'hibernated' })]);
  }, 60_000);

  it('refuses an account that is not enabled, saying how to enable it', async () => {
    const refused = contractErrorOf(await service.handlers.stopWorkspace({ name: 'teamwork', account: 'elsewhere' }).catch((error: unknown) => error));
    expect(refused).toMatchObject({ kind: 'usage', message: 'Account "elsewhere" is not enabled.', fix: expect.stringContaining('porthole account enable elsewhere') });
  });
});
