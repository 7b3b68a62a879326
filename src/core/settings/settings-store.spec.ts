import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { generatePassword, PASSWORD_ALPHABET, PASSWORD_LENGTH } from '../secrets/password.js';
import { DEFAULT_SETTINGS, type WorkspaceRecord } from './settings-schema.js';
import { SettingsStore } from './settings-store.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'porthole-settings-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const demo: WorkspaceRecord = {
  name: 'demo',
  account: 'sandbox',
  region: 'us-east-1',
  bundleId: 'small_3_0',
  blueprintId: 'ubuntu_24_04',
  availabilityZone: 'us-east-1a',
  accessMode: 'tunnel',
  idleTimeoutMinutes: 30,
  staticIpName: 'porthole-demo-ip',
  keepsStaticIp: false,
  createdAt: '2025-01-31T12:00:00.000Z',
  layers: ['base', 'developer'],
};

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isPortholeError(error, 'usage')).toBe(true);
    return String((error as Error).message);
  }
  throw new Error('expected a usage error');
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsIn(inner)]);
  return [];
}

describe('SettingsStore', () => {
  it('starts from the defaults: the sandbox account and the Amazon IP echo', () => {
    const store = new SettingsStore(directory);
    expect(store.path).toBe(join(directory, 'settings.json'));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.get().ipEchoUrl).toBe('https://checkip.amazonaws.com');
  });

  it('keeps changes across restarts, in a file only the user can read', async () => {
    const store = new SettingsStore(directory);
    store.set('accounts', [
      { name: 'sandbox', kind: 'sandbox', regions: ['us-east-1'] },
      { name: 'work', kind: 'aws-profile', profile: 'work-sso', regions: ['eu-west-2', 'us-east-1'] },
    ]);
    store.set('activeAccount', 'work');
    store.set('defaultRegion', 'eu-west-2');
    store.set('launchAtLogin', true);
    store.set('notifications', { ...DEFAULT_SETTINGS.notifications, costReminder: false });
    const reopened = new SettingsStore(directory).get();
    expect(reopened.activeAccount).toBe('work');
    expect(reopened.accounts[1]).toEqual({ name: 'work', kind: 'aws-profile', profile: 'work-sso', regions: ['eu-west-2', 'us-east-1'] });
    expect(reopened.defaultRegion).toBe('eu-west-2');
    expect(reopened.launchAtLogin).toBe(true);
    expect(reopened.notifications.costReminder).toBe(false);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('adds, replaces, finds and removes workspace records', () => {
    const store = new SettingsStore(directory);
    store.saveWorkspace(demo);
    store.saveWorkspace({ ...demo, region: 'eu-west-2', availabilityZone: 'eu-west-2b' });
    store.saveWorkspace({ ...demo, idleTimeoutMinutes: 0 });
    const reopened = new SettingsStore(directory);
    expect(reopened.get().workspaces).toHaveLength(2);
    expect(reopened.findWorkspace(demo)?.idleTimeoutMinutes).toBe(0);
    expect(reopened.removeWorkspace(demo)).toBe(true);
    expect(reopened.removeWorkspace(demo)).toBe(false);
    expect(reopened.findWorkspace(demo)).toBeUndefined();
    expect(reopened.findWorkspace({ ...demo, region: 'eu-west-2' })).toEqual({ ...demo, region: 'eu-west-2', availabilityZone: 'eu-west-2b' });
  });

  it('keeps what a later instance of the workspace needs: its project folder, the backup it came from and its daily backups', () => {
    const store = new SettingsStore(directory);
    const record = { ...demo, projectDir: '/home/me/app', fromBackup: { workspace: 'old', instanceName: 'old-r20261201', date: '2026-12-01' }, backups: { timeOfDay: '03:00' } };
    store.saveWorkspace(record);
    expect(new SettingsStore(directory).findWorkspace(demo)).toEqual(record);
    expect(() => store.saveWorkspace({ ...demo, backups: { timeOfDay: '3:30' } })).toThrow(/backups/);
  });

  it('keeps the name of the instance a restore in place gave the workspace, and refuses one Lightsail would not take', () => {
    const store = new SettingsStore(directory);
    const record = { ...demo, instanceName: 'demo-r20261204' };
    store.saveWorkspace(record);
    expect(new SettingsStore(directory).findWorkspace(demo)).toEqual(record);
    expect(() => store.saveWorkspace({ ...demo, instanceName: 'no spaces' })).toThrow(/instanceName/);
  });

  it('never writes a password, even one a caller carried along in a record', async () => {
    const store = new SettingsStore(directory);
    const password = generatePassword();
    store.saveWorkspace({ ...demo, password } as WorkspaceRecord);
    store.set('workspaces', [{ ...demo, name: 'other', secret: password } as WorkspaceRecord, demo]);
    const text = await readFile(store.path, 'utf8');
    expect(text).not.toContain(password);
    const looksGenerated = new RegExp(`^[${PASSWORD_ALPHABET}]{${PASSWORD_LENGTH}}$`);
    for (const value of stringsIn(JSON.parse(text))) expect(value).not.toMatch(looksGenerated);
    expect(stringsIn(JSON.parse(text))).not.toContain('password');
  });

  it('refuses a change that would not make sense, says where and how to fix it, and keeps the file as it was', async () => {
    const store = new SettingsStore(directory);
    const before = await readFile(store.path, 'utf8').catch(() => '');
    expect(problemOf(() => store.set('defaultRegion', 'us-east-1a'))).toBe(
      'defaultRegion: Region "us-east-1a" is an availability zone, not a region. Use "us-east-1".',
    );
    expect(problemOf(() => store.set('activeAccount', 'nobody'))).toContain('activeAccount: No account is called "nobody". Choose one of: sandbox.');
    expect(problemOf(() => store.set('ipEchoUrl', 'http://example.com/ip'))).toContain('is not https');
    expect(problemOf(() => store.saveWorkspace({ ...demo, name: 'My Box' }))).toContain('workspaces[0] "My Box": name: Workspace name "My Box" has an uppercase "M" at position 1');
    expect(problemOf(() => store.saveWorkspace({ ...demo, idleTimeoutMinutes: 2 }))).toContain('idleTimeoutMinutes: Idle timeout 2 minutes');
    expect(problemOf(() => store.set('workspaces', [demo, demo]))).toContain('listed twice');
    expect(problemOf(() => store.saveWorkspace({ ...demo, availabilityZone: 'eu-west-2a' }))).toContain('not in the workspace\'s region us-east-1');
    expect(problemOf(() => store.set('accounts', [...DEFAULT_SETTINGS.accounts, ...DEFAULT_SETTINGS.accounts]))).toContain(
      'Two accounts are called "sandbox"',
    );
    expect(problemOf(() => store.set('accounts', []))).toContain('accounts: No account is set up.');
    expect(problemOf(() => store.set('launchAtLogin', 'yes' as unknown as boolean))).toContain('Settings not saved');
    expect(await readFile(store.path, 'utf8').catch(() => '')).toBe(before);
  });

  it('accepts an IP echo on this machine over plain http, for the sandbox', () => {
    const store = new SettingsStore(directory);
    store.set('ipEchoUrl', 'http://127.0.0.1:4599/ip');
    expect(store.get().ipEchoUrl).toBe('http://127.0.0.1:4599/ip');
  });

  it('says which file is broken and what to do', async () => {
    await writeFile(join(directory, 'settings.json'), '{"accounts": [');
    expect(problemOf(() => new SettingsStore(directory))).toContain(`The settings file ${join(directory, 'settings.json')} cannot be used`);
    await writeFile(join(directory, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, defaultBundleId: 'small' }));
    const message = problemOf(() => new SettingsStore(directory));
    expect(message).toContain('defaultBundleId');
    expect(message).toContain('move it aside');
  });

  it('turns on notification kinds a file from an older version does not mention', async () => {
    const { notifications: _omitted, ...older } = DEFAULT_SETTINGS;
    await writeFile(join(directory, 'settings.json'), JSON.stringify({ ...older, notifications: { idleWarning: false } }));
    const notifications = new SettingsStore(directory).get().notifications;
    expect(notifications).toEqual({ ...DEFAULT_SETTINGS.notifications, idleWarning: false });
  });
});
