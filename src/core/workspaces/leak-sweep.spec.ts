import { describe, expect, it } from 'vitest';
import type { Bundle, Instance, KeyPair, Snapshot, StaticIp, Tags } from '../cloud/model.js';
import { INSTALLATION_TAG, portholeTags, TEST_RUN_TAG } from '../cloud/porthole-tags.js';
import type { WorkspaceRecord } from './engine-ports.js';
import { IMAGE_PURPOSE, IMAGE_TAG } from './images.js';
import { findLeaks, testRunLeaks, type LeakQuery, type RegionInventory } from './leak-sweep.js';
import type { JournalEntry } from './operation-journal.js';
import { HIBERNATION_PURPOSE, PURPOSE_TAG } from './workspace-resources.js';

const REGION = 'us-east-1';
const NOW = new Date('2026-12-04T12:00:00Z');
const HOURS_AGO = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const SMALL: Bundle = { id: 'small_3_0', name: 'Small', priceMonthlyUsd: 12, cpuCount: 2, ramSizeInGb: 2, diskSizeInGb: 60, transferPerMonthInGb: 3072, isActive: true, platforms: ['LINUX_UNIX'] };

const instance = (name: string, tags: Tags, createdAt = HOURS_AGO(5)): Instance => ({
  name, region: REGION, availabilityZone: `${REGION}a`, state: 'running', bundleId: 'small_3_0', blueprintId: 'ubuntu_24_04',
  publicIp: '127.0.0.2', privateIp: undefined, isStaticIp: false, createdAt, tags, arn: `arn:instance/${name}`,
});
const staticIp = (workspace: string, attachedTo?: string): StaticIp => ({
  name: `porthole-${workspace}`, region: REGION, ipAddress: '127.0.0.3', attachedTo, isAttached: attachedTo !== undefined, createdAt: HOURS_AGO(5), arn: `arn:ip/${workspace}`,
});
const snapshot = (name: string, tags: Tags, createdAt = HOURS_AGO(5)): Snapshot => ({
  name, region: REGION, state: 'available', sizeInGb: 60, fromInstanceName: undefined, fromBundleId: 'small_3_0', fromBlueprintId: 'ubuntu_24_04', createdAt, tags, arn: `arn:snap/${name}`,
});
const hibernation = (workspace: string, hoursAgo = 5) => snapshot(`${workspace}-hibernated-${hoursAgo}h`, portholeTags(workspace, { [PURPOSE_TAG]: HIBERNATION_PURPOSE }), HOURS_AGO(hoursAgo));
const record = (name: string, keepsStaticIp = true): WorkspaceRecord => ({
  account: 'sandbox', region: REGION, name, bundleId: 'small_3_0', blueprintId: 'ubuntu_24_04', accessMode: 'tunnel', idleTimeoutMinutes: 60,
  staticIpName: `porthole-${name}`, keepsStaticIp, layers: [], createdAt: HOURS_AGO(5).toISOString(),
});
const entry = (kind: JournalEntry['kind'], name: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({
  id: `op-${name}`, kind, workspace: { account: 'sandbox', region: REGION, name },
  steps: [{ name: 'create the instance', startedAt: HOURS_AGO(3).toISOString() }], data: { ownerPid: '1' }, startedAt: HOURS_AGO(3).toISOString(), updatedAt: HOURS_AGO(3).toISOString(), ...extra,
});

function leaksOf(inventory: Partial<RegionInventory>, options: Partial<LeakQuery> = {}) {
  return findLeaks({
    account: 'sandbox',
    inventory: { region: REGION, instances: [], staticIps: [], snapshots: [], keyPairs: [], ...inventory },
    records: [],
    journal: [],
    bundles: [SMALL],
    now: NOW,
    olderThanMs: 0,
    isRunning: () => false,
    ...options,
  });
}

describe('findLeaks', () => {
  it('finds nothing in a healthy account: a ready workspace, a hibernated one keeping its IP, an image, and resources that are not Porthole’s', () => {
    const { leaks } = leaksOf(
      {
        instances: [instance('dev', portholeTags('dev')), instance('mine', { team: 'web' })],
        staticIps: [staticIp('dev', 'dev'), staticIp('nap'), { ...staticIp('other', 'mine'), name: 'porthole-other' }],
        snapshots: [hibernation('nap'), snapshot('img', portholeTags('gone', { [PURPOSE_TAG]: IMAGE_PURPOSE, [IMAGE_TAG]: 'img' })), snapshot('backup', { team: 'web' })],
      },
      { records: [record('dev'), record('nap')] },
    );
    expect(leaks).toEqual([]);
  });

  it('lists each tagged resource without a record, with what it costs per month', () => {
    const { leaks } = leaksOf({
      instances: [instance('lost', portholeTags('lost'))],
      staticIps: [staticIp('lost', 'lost'), staticIp('stray')],
      snapshots: [hibernation('old', 40)],
      keyPairs: [{ name: 'kp', region: REGION, fingerprint: undefined, createdAt: HOURS_AGO(2), tags: { 'porthole:workspace': 'lost' }, arn: 'arn:kp' } satisfies KeyPair],
    });
    expect(leaks.map((l) => [l.kind, l.name, l.monthlyUsd, l.sweep])).toEqual([
      ['instance', 'lost', 12, 'delete'],
      ['static-ip', 'porthole-lost', 0, 'delete'],
      ['static-ip', 'porthole-stray', 3.65, 'delete'],
      ['snapshot', 'old-hibernated-40h', 3, 'delete'],
      ['key-pair', 'kp', 0, 'delete'],
    ]);
    expect(leaks[0]!.reason).toBe('tagged for workspace "lost", which has no record in this account');
  });

  it('lists another computer’s workspaces apart, never to sweep, and still sweeps what this computer lost', () => {
    const theirs = (name: string) => portholeTags(name, { [INSTALLATION_TAG]: 'b0b0b0b0b0b0b0b0' });
    const ours = (name: string) => portholeTags(name, { [INSTALLATION_TAG]: 'a1a1a1a1a1a1a1a1' });
    const { leaks, elsewhere } = leaksOf(
      {
        instances: [instance('laptop', theirs('laptop')), instance('lost', ours('lost')), instance('old', portholeTags('old'))],
        staticIps: [staticIp('laptop', 'laptop'), staticIp('napping')],
        snapshots: [snapshot('napping-hibernated', theirs('napping'))],
      },
      { installation: 'a1a1a1a1a1a1a1a1' },
    );
    expect(elsewhere).toEqual([
      { account: 'sandbox', region: REGION, name: 'laptop', installation: 'b0b0b0b0b0b0b0b0', resources: ['instance laptop', 'static IP porthole-laptop'], monthlyUsd: 12 },
      { account: 'sandbox', region: REGION, name: 'napping', installation: 'b0b0b0b0b0b0b0b0', resources: ['snapshot napping-hibernated', 'static IP porthole-napping'], monthlyUsd: 6.65 },
    ]);
    // What this computer made and lost, and what was made before the tag existed, are leaks as before.
    expect(leaks.map((l) => [l.kind, l.name, l.sweep])).toEqual([
      ['instance', 'lost', 'delete'],
      ['instance', 'old', 'delete'],
    ]);
  });

  it('counts another computer’s workspace as this one’s once it has a record here', () => {
    const { leaks, elsewhere } = leaksOf(
      { instances: [instance('shared', portholeTags('shared', { [INSTALLATION_TAG]: 'b0b0b0b0b0b0b0b0' }))], staticIps: [staticIp('shared', 'shared')] },
      { installation: 'a1a1a1a1a1a1a1a1', records: [record('shared')] },
    );
    expect(elsewhere).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it('lists what the record says should be gone: a released IP still allocated, a snapshot beside a running instance, older hibernation copies', () => {
    const { leaks } = leaksOf(
      {
        instances: [instance('back', portholeTags('back'))],
        staticIps: [staticIp('back', 'back'), staticIp('nap')],
        snapshots: [hibernation('back', 6), hibernation('nap', 30), hibernation('nap', 10)],
      },
      { records: [record('back'), record('nap', false)] },
    );
    expect(leaks.map((l) => [l.kind, l.workspace, l.reason])).toEqual([
      ['static-ip', 'nap', 'workspace "nap" was hibernated to release its static IP, but it is still allocated'],
      ['snapshot', 'back', 'workspace "back" runs again, so its hibernation snapshot should have been deleted when it resumed'],
      ['snapshot', 'nap', 'an older hibernation snapshot of "nap": resume uses only the newest'],
    ]);
  });

  it('counts the instance the record names as the workspace’s, and lists a second one tagged for it as left behind', () => {
    const restored = { ...record('dev'), instanceName: 'dev-r20261204' };
    const { leaks } = leaksOf(
      {
        instances: [instance('dev-r20261204', portholeTags('dev')), instance('dev', portholeTags('dev'))],
        staticIps: [staticIp('dev', 'dev-r20261204')],
      },
      { records: [restored] },
    );
    expect(leaks.map((l) => [l.kind, l.name, l.workspace, l.monthlyUsd])).toEqual([['instance', 'dev', 'dev', 12]]);
    expect(leaks[0]!.reason).toContain('whose instance is "dev-r20261204"');
  });

  it('lists an interrupted restore in place with both its instances', () => {
    const { leaks } = leaksOf(
      { instances: [instance('dev', portholeTags('dev')), instance('dev-r20261204', portholeTags('dev'))], staticIps: [staticIp('dev', 'dev')] },
      { records: [record('dev')], journal: [entry('restore', 'dev')] },
    );
    expect(leaks.map((l) => [l.kind, l.name, l.monthlyUsd, l.sweep])).toEqual([['operation', 'dev', 24, 'carry-on']]);
    expect(leaks[0]!.reason).toContain('instance dev, instance dev-r20261204');
  });

  it('lists an interrupted operation once, with its workspace’s resources and cost, and says what the sweep will do', () => {
    const { leaks } = leaksOf(
      {
        instances: [instance('half', portholeTags('half')), instance('going', portholeTags('going'))],
        staticIps: [staticIp('half')],
      },
      {
        records: [record('half'), record('going'), record('stuck')],
        journal: [entry('create', 'half'), entry('delete', 'going'), entry('hibernate', 'stuck', { failure: 'Lightsail could not snapshot "stuck".' }), { ...entry('create', 'elsewhere'), workspace: { account: 'work', region: REGION, name: 'elsewhere' } }],
      },
    );
    expect(leaks.map((l) => [l.kind, l.name, l.monthlyUsd, l.sweep, l.operation?.kind])).toEqual([
      ['operation', 'half', 15.65, 'roll-back', 'create'],
      ['operation', 'going', 12, 'carry-on', 'delete'],
      ['operation', 'stuck', 0, 'leave', 'hibernate'],
    ]);
    expect(leaks[0]!.reason).toBe('its create was interrupted at "create the instance"; it holds instance half, static IP porthole-half; sweeping rolls it back');
    expect(leaks[2]!.fix).toBe('Run "porthole hibernate stuck" again, or "porthole delete stuck" to remove it.');
  });

  it('leaves an operation whose process still runs it, and that workspace’s resources, alone', () => {
    const { leaks } = leaksOf({ instances: [instance('busy', portholeTags('busy'), HOURS_AGO(0))], staticIps: [staticIp('busy')] }, { journal: [entry('create', 'busy')], isRunning: () => true });
    expect(leaks).toEqual([]);
  });

  it('counts leaks younger than --older-than instead of listing them', () => {
    const findings = leaksOf(
      { instances: [instance('fresh', portholeTags('fresh'), HOURS_AGO(0.5)), instance('stale', portholeTags('stale'), HOURS_AGO(2))] },
      { olderThanMs: 3_600_000 },
    );
    expect(findings.leaks.map((l) => l.name)).toEqual(['stale']);
    expect(findings.younger).toBe(1);
  });
});

describe('testRunLeaks', () => {
  it('lists everything tagged with the run, and its workspaces’ static IPs, whatever the records say', () => {
    const run = { [TEST_RUN_TAG]: 'r1' };
    const leaks = testRunLeaks(
      'live',
      {
        region: REGION,
        instances: [instance('lv-a', portholeTags('lv-a', run)), instance('lv-other', portholeTags('lv-other', { [TEST_RUN_TAG]: 'r2' })), instance('dev', portholeTags('dev'))],
        staticIps: [staticIp('lv-a', 'lv-a'), staticIp('lv-b'), staticIp('dev', 'dev')],
        snapshots: [hibernation('lv-b'), snapshot('lv-img', portholeTags('lv-a', { ...run, [PURPOSE_TAG]: IMAGE_PURPOSE, [IMAGE_TAG]: 'lv-img' }))],
        keyPairs: [],
      },
      { id: 'r1', workspaces: ['lv-b'], bundles: [SMALL] },
    );
    expect(leaks.map((l) => [l.kind, l.name, l.monthlyUsd])).toEqual([
      ['instance', 'lv-a', 12],
      ['snapshot', 'lv-img', 3],
      ['static-ip', 'porthole-lv-a', 0],
      ['static-ip', 'porthole-lv-b', 3.65],
    ]);
  });
});
