import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { secretAccount } from '../../src/core/secrets/secret-account.js';
import type { Leak } from '../../src/core/workspaces/leak-sweep.js';
import { listAccountLeaks } from '../../src/core/workspaces/leak-sweeper.js';
import { OperationJournal } from '../../src/core/workspaces/operation-journal.js';
import { SettingsWorkspaceRecords } from '../../src/core/workspaces/settings-workspace-records.js';
import type { WorkspaceState } from '../../src/shared/workspace.js';
import { TEST_ACCOUNT, TEST_REGION, type EngineFixture } from './engine-fixture.js';
import { join } from 'node:path';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export type CrashOperation = 'create' | 'delete' | 'hibernate' | 'resume' | 'restore';

/** Runs the operation in a child that kills itself at `crashAt`; resolves with how it ended. */
export function runCrashingChild(f: EngineFixture, operation: CrashOperation, workspace: string, crashAt?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        CRASH_ENDPOINT: f.emulator.endpoint,
        CRASH_DATA_DIR: f.dataDir,
        CRASH_SERVICE: f.secrets.service,
        CRASH_OPERATION: operation,
        CRASH_WORKSPACE: workspace,
        ...(crashAt ? { PORTHOLE_CRASH_AT: crashAt } : {}),
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** What `porthole doctor` would list as left over in the fixture's account, whatever its age. */
export async function leaksOf(f: EngineFixture): Promise<Leak[]> {
  const journal = await OperationJournal.open(join(f.dataDir, 'journal.json'));
  const records = new SettingsWorkspaceRecords(f.settings);
  const { leaks } = await listAccountLeaks({ account: TEST_ACCOUNT, gateway: f.gateway, regions: [TEST_REGION], records, journal, now: new Date(), olderThanMs: 0 });
  return leaks;
}

/**
 * What a settled workspace must look like in every store at once: the cloud,
 * the keychain, the settings, the journal. Anything more is a leak; anything
 * less is a loss.
 */
export async function expectConverged(f: EngineFixture, name: string, expected: WorkspaceState | 'gone'): Promise<void> {
  const ref = { account: TEST_ACCOUNT, region: TEST_REGION, name };
  const instance = await f.gateway.findInstance(TEST_REGION, name);
  const staticIp = await f.gateway.findStaticIp(TEST_REGION, `porthole-${name}`);
  const snapshots = (await f.gateway.listSnapshots(TEST_REGION)).filter((s) => s.tags['porthole:workspace'] === name);
  const password = await f.secrets.get(secretAccount(ref));
  const record = f.settings.findWorkspace(ref);
  const journal = await OperationJournal.open(join(f.dataDir, 'journal.json'));
  const context = `workspace ${name} expected ${expected}`;
  expect(journal.unfinished().filter((e) => e.workspace.name === name), context).toEqual([]);
  // The user's own check agrees: porthole doctor finds nothing left over in the whole account.
  expect(await leaksOf(f), context).toEqual([]);
  if (expected === 'gone') {
    expect({ instance, staticIp, snapshots, password, record }, context).toEqual({ instance: undefined, staticIp: undefined, snapshots: [], password: undefined, record: undefined });
    return;
  }
  expect(password, context).toMatch(/^[A-Za-z0-9]{24}$/);
  expect(record, context).toBeDefined();
  expect(staticIp, context).toBeDefined();
  if (expected === 'ready') {
    expect(instance?.state, context).toBe('running');
    expect(staticIp?.attachedTo, context).toBe(name);
    expect(snapshots, context).toEqual([]);
  } else if (expected === 'hibernated') {
    expect(instance, context).toBeUndefined();
    expect(snapshots.map((s) => s.state), context).toEqual(['available']);
  }
}
