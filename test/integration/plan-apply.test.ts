import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/shared/workspace.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

/**
 * porthole.json, plan and apply from the real binary on the Sandbox account
 * (lightsail-local over the AWS SDK, the real keychain), and the image
 * commands a user runs beside them.
 */
// Each test runs the real binary a handful of times: on a loaded machine one run alone can take seconds.
describe('porthole plan and apply', { timeout: 120_000 }, () => {
  let home: string;
  let file: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };

  const write = (value: unknown) => writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  const states = async () =>
    Object.fromEntries((JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[]).map((w) => [w.name, w.state]));

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-plan-'));
    file = join(home, 'porthole.json');
    env = { PORTHOLE_HOME: join(home, 'data') };
    emulator = await startSandboxEmulator(env, 200);
  });
  afterAll(async () => {
    for (const name of ['api', 'web', 'fromimg']) await porthole(['delete', name, '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('refuses an invalid file with the file, the JSON path and the fix, creating nothing', async () => {
    await write({ workspaces: [{ name: 'api', state: 'paused' }, { name: 'web', layers: ['developer', 'quantum'] }] });
    const shape = await porthole(['apply', '-f', file, '--yes'], env);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain(`${file} $.workspaces[0].state: "paused" is not a workspace state. Use "running", "stopped" or "hibernated".`);

    await write({ workspaces: [{ name: 'web', layers: ['developer', 'quantum'] }, { name: 'api', image: 'nothing-baked' }] });
    const references = await porthole(['plan', '-f', file], env);
    expect(references.code).toBe(2);
    expect(references.stderr).toContain(`${file} $.workspaces[0].layers [1]: There is no layer named "quantum".`);
    expect(references.stderr).toContain(`${file} $.workspaces[1].image: There is no available image "nothing-baked".`);

    await write({ workspaces: [{ name: 'api', region: 'zz-north-1' }, { name: 'web', bundle: 'giant_9_0' }] });
    const cloud = await porthole(['plan', '-f', file], env);
    expect(cloud.code).toBe(2);
    expect(cloud.stderr).toMatch(/\$\.workspaces\[0\]\.region: Region "zz-north-1" has no Lightsail\. Use one of .*us-east-1/);
    expect(cloud.stderr).toMatch(/\$\.workspaces\[1\]\.bundle: Bundle "giant_9_0" is not offered in us-east-1\. Use one of .*small_3_0/);

    await write({ workspaces: [{ name: 'api' }, { name: 'api', region: 'us-east-1' }] });
    expect((await porthole(['plan', '-f', file], env)).stderr).toContain(`${file} $.workspaces[1].name: "api" in us-east-1 is already declared at $.workspaces[0]. Keep one entry per workspace.`);

    await write('{"workspaces": [');
    expect((await porthole(['plan', '-f', file], env)).stderr).toMatch(/porthole\.json \$: This is not valid JSON/);
    expect(await states()).toEqual({});
  });

  it('plans creates on an empty account, and apply asks before changing anything', async () => {
    await write({ $schema: '../schema/porthole.schema.json', workspaces: [{ name: 'api', layers: ['developer'] }, { name: 'web', state: 'stopped', idleTimeoutMinutes: 30 }] });
    const plan = await porthole(['plan', '-f', file, '--detailed-exitcode'], env);
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stdout).toMatch(/^\+ api \(us-east-1\): create -> running \(small_3_0, layers base,developer, tunnel\)$/m);
    expect(plan.stdout).toMatch(/^\+ web \(us-east-1\): create, then stop -> stopped .*idle 30 min\)$/m);
    expect(plan.stdout).toMatch(/^Plan: 2 to create, 0 to change\.$/m);
    const json = JSON.parse((await porthole(['--json', 'plan', '-f', file], env)).stdout) as { changes: number; entries: Array<{ action: string; operations?: string[] }> };
    expect(json.changes).toBe(2);
    expect(json.entries.map((e) => e.operations)).toEqual([['create'], ['create', 'stop']]);

    const unconfirmed = await porthole(['apply', '-f', file], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/Apply 2 changes .*Add --yes to confirm\./s);
    expect(await states()).toEqual({});
  });

  it('converges with apply, and a second apply changes nothing', async () => {
    const apply = await porthole(['apply', '-f', file, '--yes'], env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/create api: \[1\/6\] store the password in the keychain/);
    expect(apply.stderr).toMatch(/stop web: \[2\/2\] wait for the instance to stop/);
    expect(apply.stdout).toMatch(/Apply complete: 2 changed\./);
    expect(await states()).toEqual({ api: 'ready', web: 'stopped' });

    const plan = await porthole(['plan', '-f', file, '--detailed-exitcode'], env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/No changes\. The workspaces match the file\.$/m);
    const again = await porthole(['apply', '-f', file], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Apply complete: 0 changed\./);
  });

  it('stops and hibernates exactly what the file says, and leaves what it does not name alone', async () => {
    await porthole(['create', 'mine'], env);
    await write({ workspaces: [{ name: 'api', layers: ['developer'], state: 'stopped' }, { name: 'web', state: 'hibernated', idleTimeoutMinutes: 30 }] });
    const plan = await porthole(['plan', '-f', file], env);
    expect(plan.stdout).toMatch(/^~ api \(us-east-1\): ready -> stopped \(stop\)$/m);
    expect(plan.stdout).toMatch(/^~ web \(us-east-1\): stopped -> hibernated \(hibernate\)$/m);
    expect(plan.stdout).toMatch(/^\. mine \(us-east-1\): ready, not in file, left alone$/m);
    expect((await porthole(['apply', '-f', file, '--yes'], env)).code).toBe(0);
    expect(await states()).toEqual({ api: 'stopped', web: 'hibernated', mine: 'ready' });
    expect((await porthole(['plan', '-f', file, '--detailed-exitcode'], env)).code).toBe(0);
    await porthole(['delete', 'mine', '--yes'], env);
  });

  it("sets the file's declared ports on a workspace it keeps, shows a layer's on a create, and refuses bad ports naming the field", async () => {
    await mkdir(join(home, '.porthole'), { recursive: true });
    await writeFile(join(home, '.porthole', 'notebook.json'), JSON.stringify({ name: 'notebook', description: 'Jupyter', ports: [8888] }));
    await write({ workspaces: [{ name: 'api', layers: ['developer'], state: 'stopped', ports: [5173, 3000] }, { name: 'web', state: 'hibernated', idleTimeoutMinutes: 30 }, { name: 'lab', layers: ['notebook'], ports: [3000] }] });
    const plan = await porthole(['plan', '-f', file], env);
    expect(plan.stdout).toMatch(/^~ api \(us-east-1\): stopped -> stopped \(declared ports none -> 5173,3000\)$/m);
    expect(plan.stdout).toMatch(/^ {2}web \(us-east-1\): hibernated, no change$/m);
    expect(plan.stdout).toMatch(/^\+ lab \(us-east-1\): create -> running \(small_3_0, layers base,notebook, tunnel, ports 8888,3000\)$/m);

    await write({ workspaces: [{ name: 'api', layers: ['developer'], state: 'stopped', ports: [5173, 3000] }] });
    expect((await porthole(['apply', '-f', file, '--yes'], env)).stdout).toMatch(/Apply complete: 1 changed\./);
    const listed = JSON.parse((await porthole(['--json', 'ls'], env)).stdout) as Workspace[];
    expect(listed.find((w) => w.name === 'api')).toMatchObject({ state: 'stopped', declaredPorts: [5173, 3000] });
    expect((await porthole(['plan', '-f', file, '--detailed-exitcode'], env)).code).toBe(0);

    await write({ workspaces: [{ name: 'api', ports: [0, 70_000, 'abc', 3000, 3000] }] });
    const bad = await porthole(['plan', '-f', file], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file} $.workspaces[0].ports[0]: 0 is out of range. Use a whole number from 1 to 65535.`);
    expect(bad.stderr).toContain(`${file} $.workspaces[0].ports[1]: 70000 is out of range.`);
    expect(bad.stderr).toContain(`${file} $.workspaces[0].ports[2]: Expected a whole number, found string "abc". Write a whole number from 1 to 65535 here.`);
    expect(bad.stderr).toContain(`${file} $.workspaces[0].ports[4]: 3000 is listed twice. Remove the repeated entry.`);
    await writeFile(join(home, '.porthole', 'notebook.json'), JSON.stringify({ name: 'notebook', description: 'Jupyter', ports: [88888] }));
    await write({ workspaces: [{ name: 'lab', layers: ['notebook'] }] });
    expect((await porthole(['plan', '-f', file], env)).stderr).toContain(`${join(home, '.porthole', 'notebook.json')} $.ports[0]: 88888 is out of range.`);
    await rm(join(home, '.porthole'), { recursive: true });
  }, 120_000);

  it('reports a changed bundle or layer set as a replacement and does not do it', async () => {
    await write({ workspaces: [{ name: 'api', layers: ['developer', 'devops'], bundle: 'medium_3_0', state: 'stopped' }, { name: 'web', state: 'hibernated', idleTimeoutMinutes: 30 }] });
    const plan = await porthole(['plan', '-f', file, '--detailed-exitcode'], env);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toMatch(/^! api \(us-east-1\): replace required, not done: bundle small_3_0 -> medium_3_0; layers developer -> developer,devops\./m);
    const apply = await porthole(['apply', '-f', file, '--yes'], env);
    expect(apply.stdout).toMatch(/Apply complete: 0 changed, 1 need replacing/);
    expect(await states()).toEqual({ api: 'stopped', web: 'hibernated' });
  });

  it('bakes a workspace, lists the image with size and cost, creates from it and deletes it', async () => {
    expect((await porthole(['start', 'api'], env)).code).toBe(0);
    const bake = await porthole(['bake', 'api', '--as', 'dev-img'], env);
    expect(bake.code, bake.stderr).toBe(0);
    expect(bake.stdout).toMatch(/^Image "dev-img" is available in us-east-1: \d+ GB, \$\d+\.\d\d\/month, layers base, developer\./m);
    const images = await porthole(['images'], env);
    expect(images.stdout).toMatch(/^dev-img\s+available\s+us-east-1\s+\d+ GB\s+\$\d+\.\d\d\s+api\s+base@[0-9a-f]{8},developer@[0-9a-f]{8}$/m);

    const create = await porthole(['create', 'fromimg', '--image', 'dev-img'], env);
    expect(create.code, create.stderr).toBe(0);
    expect(create.stderr).toMatch(/From image "dev-img": \d+ steps already baked, skipped; 3 to run \(configure code-server, configure the idle agent, start code-server and the idle agent\)\./);

    const missing = await porthole(['create', 'nothing', '--image', 'no-such'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no image "no-such" in us-east-1/);
    expect((await porthole(['images', 'delete', 'dev-img', '--yes'], env)).code).toBe(0);
    expect((await porthole(['images'], env)).stdout).toMatch(/^No images\./);
  });
});
