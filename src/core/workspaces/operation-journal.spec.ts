import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { isStepDone, OperationJournal, stepInFlight } from './operation-journal.js';

const demo = { account: 'sandbox', region: 'us-east-1', name: 'demo' };

let directory: string;
let path: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'porthole-journal-'));
  path = join(directory, 'operations.json');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function clock(start = Date.UTC(2025, 0, 1)): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

describe('OperationJournal', () => {
  it('starts empty when there is no file yet', async () => {
    const journal = await OperationJournal.open(path);
    expect(journal.unfinished()).toEqual([]);
  });

  it('keeps an interrupted create on disk, with the step in flight and the names it chose', async () => {
    const journal = await OperationJournal.open(path, { now: clock() });
    const { id } = await journal.begin('create', demo, { instanceName: 'demo' });
    await journal.beforeStep(id, 'create-instance');
    await journal.afterStep(id, 'create-instance');
    await journal.beforeStep(id, 'allocate-static-ip', { staticIpName: 'porthole-demo-ip' });

    const reopened = await OperationJournal.open(path);
    const [entry, ...others] = reopened.unfinished();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      id,
      kind: 'create',
      workspace: demo,
      data: { instanceName: 'demo', staticIpName: 'porthole-demo-ip' },
      startedAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:03.000Z',
    });
    expect(entry && isStepDone(entry, 'create-instance')).toBe(true);
    expect(entry && stepInFlight(entry)?.name).toBe('allocate-static-ip');
  });

  it('forgets a finished operation', async () => {
    const journal = await OperationJournal.open(path);
    const { id } = await journal.begin('delete', demo);
    await journal.finish(id);
    expect(journal.unfinished()).toEqual([]);
    expect((await OperationJournal.open(path)).unfinished()).toEqual([]);
  });

  it('allows one operation per workspace, and one each in other regions and accounts', async () => {
    const journal = await OperationJournal.open(path);
    await journal.begin('create', demo);
    const refusal = await journal.begin('delete', demo).catch((error: unknown) => error);
    expect(isPortholeError(refusal, 'wrong-state')).toBe(true);
    expect(String(refusal)).toContain('Workspace "demo" (sandbox, us-east-1) is still being created');
    await journal.begin('create', { ...demo, region: 'eu-west-2' });
    await journal.begin('create', { ...demo, account: 'work' });
    expect(journal.unfinished()).toHaveLength(3);
  });

  it('records a failure and keeps the operation unfinished', async () => {
    const journal = await OperationJournal.open(path);
    const { id } = await journal.begin('hibernate', demo);
    await journal.fail(id, 'The snapshot failed.');
    const [entry] = (await OperationJournal.open(path)).unfinished();
    expect(entry?.failure).toBe('The snapshot failed.');
  });

  it('refuses to finish a step that was never started', async () => {
    const journal = await OperationJournal.open(path);
    const { id } = await journal.begin('create', demo);
    await expect(journal.afterStep(id, 'create-instance')).rejects.toThrow('was not started');
    await expect(journal.beforeStep('no-such-id', 'x')).rejects.toThrow('not in the operations journal');
  });

  it('keeps one record of a step started again after a crash', async () => {
    const journal = await OperationJournal.open(path);
    const { id } = await journal.begin('resume', demo);
    await journal.beforeStep(id, 'create-instance-from-snapshot');
    await journal.beforeStep(id, 'create-instance-from-snapshot');
    await journal.afterStep(id, 'create-instance-from-snapshot');
    expect(journal.entry(id)?.steps).toHaveLength(1);
    await expect(journal.beforeStep(id, 'create-instance-from-snapshot')).rejects.toThrow('already done');
  });

  it('loses no change when many are made at once', async () => {
    const journal = await OperationJournal.open(path);
    const names = Array.from({ length: 20 }, (_, index) => `ws-${index}`);
    const entries = await Promise.all(names.map((name) => journal.begin('create', { ...demo, name })));
    await Promise.all(entries.map(({ id }) => journal.beforeStep(id, 'create-instance', { instanceName: id })));
    const reopened = (await OperationJournal.open(path)).unfinished();
    expect(reopened.map((entry) => entry.workspace.name).sort()).toEqual([...names].sort());
    for (const entry of reopened) expect(entry.data.instanceName).toBe(entry.id);
  });

  it('sees what another journal on the same file wrote, and keeps it when writing', async () => {
    const app = await OperationJournal.open(path);
    const cli = await OperationJournal.open(path);
    const fromApp = await app.begin('create', demo);
    const fromCli = await cli.begin('stop', { ...demo, name: 'other' });
    await app.beforeStep(fromApp.id, 'create-instance');
    expect(app.entry(fromCli.id)?.kind).toBe('stop');
    expect(cli.unfinished().map((entry) => entry.id)).toEqual([fromApp.id, fromCli.id]);
    await expect(cli.begin('delete', demo)).rejects.toThrow('still being created');
  });

  it('loses no change when several processes write at once', async () => {
    const writer = (process: number) => `
      import { OperationJournal } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'operation-journal.ts')).href)};
      const journal = await OperationJournal.open(${JSON.stringify(path)});
      await Promise.all(Array.from({ length: 10 }, async (_, index) => {
        const { id } = await journal.begin('create', { account: 'sandbox', region: 'us-east-1', name: 'p${process}-' + index });
        await journal.beforeStep(id, 'create-instance', { instanceName: 'p${process}-' + index });
        await journal.afterStep(id, 'create-instance');
      }));
    `;
    const children = [1, 2, 3, 4].map((process) =>
      spawn(globalThis.process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(process)], { stdio: 'inherit' }),
    );
    const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0] as number));
    expect(codes).toEqual([0, 0, 0, 0]);
    const entries = (await OperationJournal.open(path)).unfinished();
    expect(entries).toHaveLength(40);
    for (const entry of entries) {
      expect(entry.data.instanceName).toBe(entry.workspace.name);
      expect(isStepDone(entry, 'create-instance')).toBe(true);
    }
    expect(await readdir(directory)).toEqual(['operations.json']);
  }, 60_000);

  it('does not let a caller change the journal through what it returned', async () => {
    const journal = await OperationJournal.open(path);
    const entry = await journal.begin('create', demo);
    entry.data.instanceName = 'changed';
    expect(journal.entry(entry.id)?.data).toEqual({});
  });

  it('says where the broken file is and what to do', async () => {
    await writeFile(path, '{"version": 1, "entries": [');
    const error = await OperationJournal.open(path).catch((caught: unknown) => caught);
    expect(isPortholeError(error, 'internal')).toBe(true);
    expect(String(error)).toContain(`${path} is not valid JSON`);
    expect(String(error)).toContain('Move it aside');
  });

  it('is always readable after the process writing it is killed at a random moment', async () => {
    const writer = `
      import { OperationJournal } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'operation-journal.ts')).href)};
      const journal = await OperationJournal.open(${JSON.stringify(path)});
      for (const entry of journal.unfinished()) await journal.finish(entry.id);
      for (let round = 0; ; round++) {
        const workspace = { account: 'sandbox', region: 'us-east-1', name: 'ws-' + round };
        const { id } = await journal.begin('create', workspace, { padding: 'x'.repeat(20_000) });
        for (const step of ['create-instance', 'allocate-static-ip', 'attach-static-ip']) {
          await journal.beforeStep(id, step, { [step]: String(round) });
          await journal.afterStep(id, step);
        }
        if (round % 3 !== 0) await journal.finish(id);
        if (round === 0) process.stdout.write('writing\\n');
      }
    `;
    let interrupted = 0;
    for (let kill = 0; kill < 12; kill++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await once(child.stdout, 'data');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
      child.kill('SIGKILL');
      const [, signal] = await once(child, 'exit');
      if (signal === 'SIGKILL') interrupted += 1;
      const journal = await OperationJournal.open(path);
      for (const entry of journal.unfinished()) {
        expect(entry.data.padding).toHaveLength(20_000);
        expect(entry.steps.filter((step) => !step.doneAt).length).toBeLessThanOrEqual(1);
      }
    }
    expect(interrupted).toBe(12);
    expect(await readdir(directory)).toEqual(['operations.json']);
  }, 120_000);
});
