import { describe, expect, it } from 'vitest';
import type { Instance, Tags } from '../cloud/model.js';
import { portholeTags } from '../cloud/porthole-tags.js';
import { groupByWorkspace } from './workspace-resources.js';

const REGION = 'us-east-1';
const instance = (name: string, tags: Tags): Instance => ({
  name, region: REGION, availabilityZone: `${REGION}a`, state: 'running', bundleId: 'small_3_0', blueprintId: 'ubuntu_24_04',
  publicIp: '127.0.0.2', privateIp: undefined, isStaticIp: false, createdAt: new Date('2026-12-04T08:00:00Z'), tags, arn: `arn:instance/${name}`,
});

describe('groupByWorkspace', () => {
  const old = instance('dev', portholeTags('dev'));
  const restored = instance('dev-r20261204', portholeTags('dev'));

  it('gives a workspace the instance its record names, whichever other carries its tag', () => {
    const byRecord = groupByWorkspace(REGION, [old, restored], [], [], (name) => (name === 'dev' ? 'dev-r20261204' : undefined));
    expect(byRecord.get('dev')?.instance?.name).toBe('dev-r20261204');
    const beforeTheSwitch = groupByWorkspace(REGION, [restored, old], [], [], (name) => (name === 'dev' ? 'dev' : undefined));
    expect(beforeTheSwitch.get('dev')?.instance?.name).toBe('dev');
  });

  it('gives a workspace with no record the instance named like it, or else the one tagged for it', () => {
    expect(groupByWorkspace(REGION, [restored, old], [], []).get('dev')?.instance?.name).toBe('dev');
    expect(groupByWorkspace(REGION, [restored], [], []).get('dev')?.instance?.name).toBe('dev-r20261204');
  });

  it('leaves untagged instances out', () => {
    expect(groupByWorkspace(REGION, [instance('mine', { team: 'web' })], [], []).size).toBe(0);
  });
});
