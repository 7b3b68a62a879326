import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AllocateStaticIpCommand,
  CreateInstanceSnapshotCommand,
  CreateInstancesCommand,
  CreateKeyPairCommand,
  GetInstancesCommand,
  GetInstanceSnapshotsCommand,
  GetInstanceStateCommand,
  GetKeyPairsCommand,
  GetStaticIpsCommand,
  LightsailClient,
} from '@aws-sdk/client-lightsail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopCheck } from '../../src/core/app/desktop-checks.js';
import type { Leak } from '../../src/core/workspaces/leak-sweep.js';
import type { WorkspaceMadeElsewhere } from '../../src/core/workspaces/workspaces-made-elsewhere.js';
import { SANDBOX_CREDENTIALS } from '../../src/emulator/index.js';
import { until } from '../support/code-server-bin.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

interface DoctorJson {
  ok: boolean;
  checks: DesktopCheck[];
  accounts: Array<{ name: string; listed: boolean; younger?: number }>;
  leaks: Leak[];
  monthlyUsd: number;
  swept?: Array<Leak & { error?: string }>;
  remaining?: Leak[];
  madeElsewhere: WorkspaceMadeElsewhere[];
}

const REGION = 'us-east-1';
const OURS = (workspace: string) => [
  { key: 'porthole:managed', value: 'true' },
  { key: 'porthole:workspace', value: workspace },
];

/**
 * `porthole doctor` through the real CLI against the Sandbox: it finds what a
 * create killed mid-way leaves and what was tagged as Porthole's outside any
 * workspace, `--sweep` removes exactly that, and untagged resources stay.
 */
describe('porthole doctor', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  let lightsail: LightsailClient;

  const doctor = async (...args: string[]) => {
    const run = await porthole(['--json', 'doctor', ...args], env);
    return { code: run.code, report: JSON.parse(run.stdout) as DoctorJson, stderr: run.stderr };
  };
  /** Exit 1 exactly when something is wrong: a failed desktop check or a leak left. */
  const expectedCode = (report: DoctorJson, leaksLeft: number) => (leaksLeft > 0 || report.checks.some((c) => c.status === 'fail') ? 1 : 0);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-doctor-'));
    env = { PORTHOLE_HOME: home };
    emulator = await startSandboxEmulator(env, 200);
    lightsail = new LightsailClient({ region: REGION, endpoint: emulator.endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 3 });
  });
  afterAll(async () => {
    lightsail?.destroy();
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('checks this computer and finds nothing in a clean account', { timeout: 60_000 }, async () => {
    const { code, report } = await doctor('--older-than', '0');
    expect(report.checks.map((c) => c.name)).toEqual(['keychain', 'ssh', 'code-server', 'clock', 'aws-profiles']);
    expect(report.checks.find((c) => c.name === 'ssh')?.detail).toMatch(/^OpenSSH \d+\.\d+ \(certificates need 8\.0 or later\)$/);
    expect(report.checks.find((c) => c.name === 'clock')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/of lightsail-local$/) });
    expect(report.accounts).toEqual([{ name: 'sandbox', listed: true, regions: [REGION], younger: 0 }]);
    expect(report.leaks).toEqual([]);
    expect(code).toBe(expectedCode(report, 0));
  });

  it('finds a create killed after its instance was made, costs it, and --sweep rolls it back', { timeout: 120_000 }, async () => {
    const killed = await porthole(['create', 'half', '--idle-timeout', '0'], { ...env, PORTHOLE_CRASH_AT: 'create:4:after' });
    expect(killed.code, killed.stderr).toBeNull();

    const found = await doctor('--older-than', '0');
    expect(found.report.leaks.map((l) => [l.kind, l.name, l.operation?.kind, l.sweep])).toEqual([['operation', 'half', 'create', 'roll-back']]);
    expect(found.report.leaks[0]!.reason).toMatch(/^its create was interrupted at "attach a static IP"; it holds instance half, static IP porthole-half; sweeping rolls it back$/);
    expect(found.report.leaks[0]!.monthlyUsd).toBeGreaterThan(0);
    expect(found.code).toBe(1);

    const swept = await doctor('--sweep', '--yes', '--older-than', '0');
    expect(swept.report.swept?.map((l) => [l.name, l.error])).toEqual([['half', undefined]]);
    expect(swept.report.remaining).toEqual([]);
    expect(swept.code).toBe(expectedCode(swept.report, 0));
    const instances = (await lightsail.send(new GetInstancesCommand({}))).instances ?? [];
    expect(instances.map((i) => i.name)).not.toContain('half');
    expect(((await lightsail.send(new GetStaticIpsCommand({}))).staticIps ?? []).map((ip) => ip.name)).not.toContain('porthole-half');
    const ls = JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Array<{ name: string }>;
    expect(ls.map((w) => w.name)).not.toContain('half');
  });

  it('finds resources tagged as Porthole’s outside any workspace, sweeps only those after asking, and never touches untagged ones', { timeout: 120_000 }, async () => {
    const placement = { availabilityZone: `${REGION}a`, blueprintId: 'ubuntu_24_04', bundleId: 'nano_3_0' };
    await lightsail.send(new CreateInstancesCommand({ ...placement, instanceNames: ['stray'], tags: OURS('stray') }));
    await lightsail.send(new CreateInstancesCommand({ ...placement, instanceNames: ['theirs'] }));
    await until('theirs running', async () => ((await lightsail.send(new GetInstanceStateCommand({ instanceName: 'theirs' }))).state?.name === 'running' ? true : undefined));
    await lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'theirs', instanceSnapshotName: 'ghost-snap', tags: [...OURS('ghost'), { key: 'porthole:purpose', value: 'hibernate' }] }));
    await lightsail.send(new CreateInstanceSnapshotCommand({ instanceName: 'theirs', instanceSnapshotName: 'their-backup' }));
    await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'porthole-ghost' }));
    await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'their-ip' }));
    await lightsail.send(new CreateKeyPairCommand({ keyPairName: 'porthole-key', tags: [{ key: 'porthole:workspace', value: 'ghost' }] }));
    await lightsail.send(new CreateKeyPairCommand({ keyPairName: 'their-key' }));
    await until('snapshots available', async () => {
      const snapshots = (await lightsail.send(new GetInstanceSnapshotsCommand({}))).instanceSnapshots ?? [];
      return snapshots.length === 2 && snapshots.every((s) => s.state === 'available') ? true : undefined;
    });

    // By default only what is at least an hour old counts: these are brand new, so they may still be in the making.
    const young = await doctor();
    expect(young.report.leaks).toEqual([]);
    expect(young.report.accounts[0]?.younger).toBe(4);

    const found = await doctor('--older-than', '0');
    expect(found.report.leaks.map((l) => [l.kind, l.name, l.sweep]).sort()).toEqual([
      ['instance', 'stray', 'delete'],
      ['key-pair', 'porthole-key', 'delete'],
      ['snapshot', 'ghost-snap', 'delete'],
      ['static-ip', 'porthole-ghost', 'delete'],
    ]);
    expect(found.report.leaks.find((l) => l.kind === 'static-ip')?.monthlyUsd).toBe(3.65);
    expect(found.report.monthlyUsd).toBeGreaterThan(3.65);

    // Without a terminal and without --yes there is nobody to ask: nothing is removed.
    const refused = await porthole(['doctor', '--sweep', '--older-than', '0'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Add --yes to confirm/);
    expect((await doctor('--older-than', '0')).report.leaks).toHaveLength(4);

    const swept = await doctor('--sweep', '--yes', '--older-than', '0');
    expect(swept.report.swept?.filter((l) => l.error)).toEqual([]);
    expect(swept.report.remaining).toEqual([]);
    const instances = ((await lightsail.send(new GetInstancesCommand({}))).instances ?? []).filter((i) => i.state?.name !== 'terminated').map((i) => i.name);
    expect(instances).toEqual(['theirs']);
    expect(((await lightsail.send(new GetInstanceSnapshotsCommand({}))).instanceSnapshots ?? []).map((s) => s.name)).toEqual(['their-backup']);
    expect(((await lightsail.send(new GetStaticIpsCommand({}))).staticIps ?? []).map((ip) => ip.name)).toEqual(['their-ip']);
    expect(((await lightsail.send(new GetKeyPairsCommand({}))).keyPairs ?? []).map((k) => k.name)).toEqual(['their-key']);
  });

  it('prints a checklist and the leaks for a person', { timeout: 60_000 }, async () => {
    await lightsail.send(new AllocateStaticIpCommand({ staticIpName: 'porthole-lost' }));
    const run = await porthole(['doctor', '--older-than', '0'], env);
    expect(run.stdout).toMatch(/^This computer\n {2}[✓!✗] keychain /);
    expect(run.stdout).toMatch(/\n {2}[✓✗] ssh +OpenSSH \d+\.\d+/);
    expect(run.stdout).toMatch(/Left behind in the cloud\n {2}KIND +ACCOUNT +REGION +NAME +PER MONTH +SWEEP +WHY\n {2}static-ip +sandbox +us-east-1 +porthole-lost +\$3\.65 +delete +named for workspace "lost", which has no record in this account\n/);
    expect(run.stdout).toMatch(/1 leak cost \$3\.65\/month; "porthole doctor --sweep" removes them/);
    expect(run.code).toBe(1);
    expect((await doctor('--sweep', '--yes', '--older-than', '0')).report.remaining).toEqual([]);
  });
  it('tells a workspace another computer made from a leak: lists it apart, never sweeps it, and delete still removes it', { timeout: 180_000 }, async () => {
    const create = await porthole(['--json', 'create', 'laptop'], env);
    expect(create.code, create.stderr).toBe(0);
    const ours = (await readFile(join(home, 'installation-id'), 'utf8')).trim();
    const [made] = (await lightsail.send(new GetInstancesCommand({}))).instances!.filter((i) => i.name === 'laptop');
    expect(made?.tags).toContainEqual({ key: 'porthole:installation', value: ours });

    // Another computer: its own installation id, and no record of "laptop".
    await writeFile(join(home, 'installation-id'), 'b0b0b0b0b0b0b0b0\n');
    const settingsPath = join(home, 'settings.json');
    const settings = JSON.parse(await readFile(settingsPath, 'utf8')) as { workspaces: Array<{ name: string }> };
    await writeFile(settingsPath, JSON.stringify({ ...settings, workspaces: settings.workspaces.filter((w) => w.name !== 'laptop') }, null, 2));

    const found = await doctor('--older-than', '0');
    expect(found.report.leaks).toEqual([]);
    expect(found.report.madeElsewhere).toEqual([
      { account: 'sandbox', region: REGION, name: 'laptop', installation: ours, resources: ['instance laptop', 'static IP porthole-laptop'], monthlyUsd: expect.any(Number) },
    ]);
    expect(found.code).toBe(expectedCode(found.report, 0));
    const text = await porthole(['doctor', '--older-than', '0'], env);
    expect(text.stdout).toMatch(/Made by Porthole on another computer \(not leaks: never swept\)\n {2}WORKSPACE +ACCOUNT +REGION +PER MONTH +HOLDS\n {2}laptop +sandbox +us-east-1 +\$\d+\.\d\d +instance laptop, static IP porthole-laptop\n/);

    const swept = await doctor('--sweep', '--yes', '--older-than', '0');
    expect(swept.report.swept ?? []).toEqual([]);
    const listed = await porthole(['--json', 'ls'], env);
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((w) => w.name)).toContain('laptop');

    const removed = await porthole(['delete', 'laptop', '--yes'], env);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await doctor('--older-than', '0');
    expect(after.report.madeElsewhere).toEqual([]);
    expect(after.report.leaks).toEqual([]);
  });
});
