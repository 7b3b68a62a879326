import { describe, expect, it } from 'vitest';
import { PortholeError } from '../errors.js';
import type { InstanceStatus } from './engine-ports.js';
import { InstanceStatusTracker, type RunningInstance } from './instance-status-tracker.js';

/** Instances that answer what each test says, counting reads and how many run at once. */
function instances() {
  const answers = new Map<string, () => Promise<InstanceStatus>>();
  const reads: string[] = [];
  let active = 0;
  let mostAtOnce = 0;
  return {
    answers,
    reads,
    mostAtOnce: () => mostAtOnce,
    source: {
      async read(ref: { region: string; name: string }) {
        reads.push(ref.name);
        active += 1;
        mostAtOnce = Math.max(mostAtOnce, active);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return await (answers.get(ref.name) ?? (() => Promise.resolve({ provisioning: { done: true } })))();
        } finally {
          active -= 1;
        }
      },
    },
  };
}

const running = (name: string, extra: Partial<RunningInstance> = {}): RunningInstance => ({
  key: `us-east-1/${name}`,
  ref: { region: 'us-east-1', name },
  instanceId: `arn:${name}`,
  launchedAt: 0,
  watchIdle: true,
  ...extra,
});

describe('which instances are read, and what their reads say', () => {
  it('reads each instance at most once per interval: quickly while provisioning, rarely once ready', async () => {
    const world = instances();
    world.answers.set('new', async () => ({ provisioning: { done: false, step: { index: 1, total: 4, name: 'base: packages' } } }));
    let now = 0;
    const tracker = new InstanceStatusTracker({ source: world.source, provisioningIntervalMs: 3_000, idleIntervalMs: 120_000 }, () => now, () => {});
    const all = [running('new'), running('old')];
    await tracker.sync(all);
    expect(world.reads.sort()).toEqual(['new', 'old']);
    for (now = 1_000; now < 3_000; now += 1_000) await tracker.sync(all);
    expect(world.reads).toHaveLength(2);
    now = 3_000;
    await tracker.sync(all);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(world.reads.filter((n) => n === 'new')).toHaveLength(2);
    expect(world.reads.filter((n) => n === 'old')).toHaveLength(1);
    expect(tracker.provisioning('us-east-1/new', 0)).toEqual({ done: false, step: { index: 1, total: 4, name: 'base: packages' } });
    expect(tracker.provisioning('us-east-1/old', 0)).toEqual({ done: true });
  });

  it('never reads a provisioned instance again when it has no idle timeout', async () => {
    const world = instances();
    let now = 0;
    const tracker = new InstanceStatusTracker({ source: world.source, idleIntervalMs: 1_000 }, () => now, () => {});
    await tracker.sync([running('quiet', { watchIdle: false })]);
    now = 10_000;
    await tracker.sync([running('quiet', { watchIdle: false })]);
    expect(world.reads).toEqual(['quiet']);
  });

  it('keeps no more reads under way than allowed', async () => {
    const world = instances();
    const tracker = new InstanceStatusTracker({ source: world.source, concurrency: 2 }, () => 0, () => {});
    await tracker.sync(Array.from({ length: 7 }, (_, i) => running(`w${i}`)));
    expect(world.reads).toHaveLength(7);
    expect(world.mostAtOnce()).toBe(2);
  });

  it('keeps what it knew when a read fails, and says provisioning only for a young instance it never read', async () => {
    const world = instances();
    let now = 0;
    const tracker = new InstanceStatusTracker({ source: world.source, provisioningIntervalMs: 10, provisioningWindowMs: 60_000 }, () => now, () => {});
    await tracker.sync([running('a')]);
    world.answers.set('a', () => Promise.reject(new PortholeError('network', 'ssh: connect to host: Connection timed out')));
    now = 200_000;
    await tracker.sync([running('a')]);
    expect(tracker.provisioning('us-east-1/a', 0)).toEqual({ done: true });

    world.answers.set('b', () => Promise.reject(new PortholeError('network', 'Connection refused')));
    world.answers.set('c', () => Promise.reject(new PortholeError('network', 'Connection refused')));
    await tracker.sync([running('b', { launchedAt: now - 5_000 }), running('c', { launchedAt: now - 120_000 })]);
    expect(tracker.provisioning('us-east-1/b', now - 5_000)).toEqual({ done: false });
    // Running for longer than any launch script takes: as good as provisioned, though unread.
    expect(tracker.provisioning('us-east-1/c', now - 120_000)).toBeUndefined();
  });

  it('stops counting an instance as provisioning once reading it cannot work', async () => {
    const world = instances();
    world.answers.set('far', () => Promise.reject(new PortholeError('wrong-state', 'The sandbox instance "far" has no SSH endpoint')));
    const tracker = new InstanceStatusTracker({ source: world.source }, () => 0, () => {});
    await tracker.sync([running('far')]);
    expect(tracker.provisioning('us-east-1/far', 0)).toBeUndefined();
  });

  it('forgets a stopped or replaced instance, and reports reads that land after the refresh', async () => {
    const world = instances();
    const landed: string[] = [];
    world.answers.set('slow', () => new Promise((resolve) => setTimeout(() => resolve({ provisioning: { done: true }, idleStopAt: new Date(5_000) }), 60)));
    const tracker = new InstanceStatusTracker({ source: world.source, firstReadBudgetMs: 10 }, () => 0, (key) => landed.push(key));
    await tracker.sync([running('slow')]);
    expect(tracker.idleStopAt('us-east-1/slow')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(landed).toEqual(['us-east-1/slow']);
    expect(tracker.idleStopAt('us-east-1/slow')).toEqual(new Date(5_000));
    await tracker.sync([running('slow', { instanceId: 'arn:resumed' })]);
    expect(tracker.idleStopAt('us-east-1/slow')).toBeUndefined();
    await tracker.sync([]);
    expect(tracker.provisioning('us-east-1/slow', 0)).toBeUndefined();
  });

  it('keeps reading a provisioning instance until it is done, with no refresh in between', async () => {
    const world = instances();
    const answers: InstanceStatus[] = [
      { provisioning: { done: false, step: { index: 1, total: 2, name: 'base: packages' } } },
      { provisioning: { done: false, step: { index: 2, total: 2, name: 'start code-server' } } },
      { provisioning: { done: true, step: { index: 2, total: 2, name: 'start code-server' } } },
    ];
    world.answers.set('new', async () => answers.shift() ?? { provisioning: { done: true } });
    const landed: string[] = [];
    const tracker = new InstanceStatusTracker({ source: world.source, provisioningIntervalMs: 20 }, Date.now, (key) => landed.push(key));
    await tracker.sync([running('new')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.reads).toEqual(['new', 'new', 'new']);
    expect(landed).toHaveLength(3);
    expect(tracker.provisioning('us-east-1/new', Date.now())?.done).toBe(true);
  });

  it('reads a ready instance every few seconds while someone watches, its ports included, and stops when the last watcher leaves', async () => {
    const world = instances();
    let port = 0;
    world.answers.set('dev', async () => ({ provisioning: { done: true }, ports: port ? [{ port, host: '127.0.0.1' as const, process: 'python3' }] : [] }));
    const tracker = new InstanceStatusTracker({ source: world.source, watchedIntervalMs: 20, idleIntervalMs: 60_000 }, Date.now, () => {});
    await tracker.sync([running('dev', { watchIdle: false })]);
    expect(tracker.ports('us-east-1/dev')).toEqual([]);
    const release = tracker.watch();
    const second = tracker.watch();
    port = 3000;
    await until(() => tracker.ports('us-east-1/dev')?.length === 1);
    expect(tracker.ports('us-east-1/dev')).toEqual([{ port: 3000, host: '127.0.0.1', process: 'python3' }]);
    release();
    release();
    const readsWhileOneWatches = world.reads.length;
    await until(() => world.reads.length > readsWhileOneWatches);
    second();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const settled = world.reads.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.reads.length).toBe(settled);
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
