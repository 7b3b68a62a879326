import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { SettingsStore } from '../../src/core/settings/settings-store.js';

const root = join(import.meta.dirname, '../../src/core');
const writer = (writerName: string, count: number) => `
  import { SettingsStore } from ${JSON.stringify(pathToFileURL(join(root, 'settings/settings-store.ts')).href)};
  import { SettingsWorkspaceRecords } from ${JSON.stringify(pathToFileURL(join(root, 'workspaces/settings-workspace-records.ts')).href)};
  const records = new SettingsWorkspaceRecords(new SettingsStore(process.env.DATA_DIR));
  // Every writer starts at the same moment, so their read-modify-writes interleave.
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.START_AT) - Date.now()));
  for (let i = 0; i < ${count}; i++) {
    await records.put({ name: '${writerName}-' + i, account: 'sandbox', region: 'us-east-1', bundleId: 'nano_3_0', blueprintId: 'ubuntu_24_04',
      accessMode: 'tunnel', idleTimeoutMinutes: 60, createdAt: new Date().toISOString(), layers: ['base'] });
  }
`;

function run(dataDir: string, script: string, startAt: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, DATA_DIR: dataDir, START_AT: String(startAt) }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('keeps every workspace record when the app and CLI commands save records at the same time', { timeout: 120_000 }, async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'porthole-records-'));
  const writers = ['app', 'cli-one', 'cli-two'];
  const startAt = Date.now() + 4_000;
  const codes = await Promise.all(writers.map((name) => run(dataDir!, writer(name, 40), startAt)));
  expect(codes).toEqual([0, 0, 0]);
  const names = new SettingsStore(dataDir).get().workspaces.map((w) => w.name);
  for (const name of writers) expect(names.filter((n) => n.startsWith(`${name}-`)), name).toHaveLength(40);
  expect(names).toHaveLength(120);
});
