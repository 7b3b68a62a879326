import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxDir } from '../../src/cli/sandbox-account.js';
import { unpackUserData } from '../../src/emulator/runtime/launch-config.js';
import { until } from '../support/code-server-bin.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

const RUST_LAYER = {
  name: 'rust',
  description: 'Rust toolchain',
  extends: ['developer'],
  steps: [{ name: 'install rustup', run: 'command -v rustup || true' }],
};

/**
 * A project keeps its own layers in `.porthole/` beside its porthole.json:
 * `create --layers` and `plan`/`apply` use them, and the instance's launch
 * script runs their steps.
 */
describe("a project's .porthole/ layers reach the workspaces made for it", () => {
  let home: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };

  /** The launch script lightsail-local was given for `name`, from the Sandbox account's state file. */
  const launchScriptOf = (name: string) =>
    until(`${name}'s launch script`, async () => {
      const state = JSON.parse(await readFile(join(sandboxDir(env.PORTHOLE_HOME!), 'state.json'), 'utf8').catch(() => '{}')) as unknown;
      const found = JSON.stringify(state).includes(`"${name}"`) ? findUserData(state, name) : undefined;
      return found === undefined ? undefined : unpackUserData(found);
    });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-project-layers-'));
    project = join(home, 'project');
    await mkdir(join(project, '.porthole'), { recursive: true });
    await writeFile(join(project, '.porthole', 'rust.json'), JSON.stringify(RUST_LAYER));
    env = { PORTHOLE_HOME: join(home, 'data') };
    emulator = await startSandboxEmulator(env, 200);
  });
  afterAll(async () => {
    for (const name of ['crab', 'ferris']) await porthole(['delete', name, '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('create --layers names a project layer; outside the project the same name is refused', async () => {
    const outside = await porthole(['create', 'crab', '--layers', 'rust', '--project', home], env);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/There is no layer named "rust"/);

    const inside = await porthole(['create', 'crab', '--layers', 'rust', '--project', project], env);
    expect(inside.code, inside.stderr).toBe(0);
    const script = await launchScriptOf('crab');
    expect(script).toContain("'rust: install rustup'");
    expect(script).toContain("'developer: packages'");
  }, 60_000);

  it('plan and apply resolve the layers kept beside porthole.json, and a second apply changes nothing', async () => {
    const file = join(project, 'porthole.json');
    await writeFile(file, JSON.stringify({ workspaces: [{ name: 'ferris', layers: ['rust'] }] }));
    const plan = await porthole(['plan', '-f', file], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^\s*\+ ferris/m);

    const apply = await porthole(['apply', '-f', file, '--yes'], env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await launchScriptOf('ferris')).toContain("'rust: install rustup'");
    const again = await porthole(['plan', '-f', file, '--detailed-exitcode'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }, 120_000);
});

/** The userData of the instance named `name`, wherever the state file keeps it. */
function findUserData(node: unknown, name: string): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findUserData(item, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (record.name === name && typeof record.userData === 'string') return record.userData;
  for (const value of Object.values(record)) {
    const found = findUserData(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}
