import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { porthole } from '../support/porthole-cli.js';

/** `porthole layers` and `porthole script` from the real binary, with user and project layers on disk. */
describe('porthole layers and porthole script', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let project: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-layer-cli-'));
    env = { PORTHOLE_HOME: join(dir, 'home') };
    project = join(dir, 'project');
    await mkdir(join(dir, 'home', 'layers'), { recursive: true });
    await mkdir(join(project, '.porthole'), { recursive: true });
    await writeFile(
      join(dir, 'home', 'layers', 'rust.json'),
      JSON.stringify({ name: 'rust', description: 'Rust toolchain', extends: ['developer'], steps: [{ name: 'install rustup', run: 'command -v rustup || true' }], codeServer: { extensions: ['rust-lang.rust-analyzer'] } }),
    );
    await writeFile(join(project, '.porthole', 'developer.json'), JSON.stringify({ name: 'developer', description: 'this project\'s developer layer', extends: ['base'], apt: ['make'] }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists built-in, user and project layers with where each comes from', async () => {
    const run = await porthole(['layers', '--project', project], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^base\s+built-in\s+-\s+The workspace user/m);
    expect(run.stdout).toMatch(new RegExp(`^developer\\s+project ${join(project, '.porthole', 'developer.json')} \\(replaces built-in\\)`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^rust\\s+user ${join(dir, 'home', 'layers', 'rust.json')}\\s+developer`, 'm'));

    const json = JSON.parse((await porthole(['--json', 'layers', '--project', project], env)).stdout) as { layers: Array<{ name: string; source: string; overrides: unknown[] }> };
    expect(json.layers.map((l) => [l.name, l.source])).toEqual([
      ['base', 'built-in'],
      ['aws', 'built-in'],
      ['developer', 'project'],
      ['devops', 'built-in'],
      ['admin', 'built-in'],
      ['rust', 'user'],
    ]);
    expect(json.layers[2]?.overrides).toEqual([{ source: 'built-in' }]);
  });

  it('prints the launch script of a set of layers with a placeholder hash', async () => {
    const run = await porthole(['script', '--layers', 'rust', '--access', 'direct', '--project', project], env);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('#!/bin/bash\n')).toBe(true);
    expect(run.stdout).toContain("hashed-password: '$argon2id$v=19$m=19456,t=2,p=1$cGxhY2Vob2xkZXI$");
    expect(run.stdout).toContain('bind-addr: 0.0.0.0:8443');
    expect(run.stdout).toMatch(/^run_step \d+ 'developer: packages' '[0-9a-f]{64}' step_\d+$/m);
    expect(run.stdout).toContain("apt_install 'make'");
    expect(run.stdout).toContain("as_user code-server --install-extension 'rust-lang.rust-analyzer'");
    expect(run.stderr).toMatch(/^base -> developer -> rust: \d+ steps, \d+ bytes \(limit 16384\)\.$/m);

    const json = JSON.parse((await porthole(['--json', 'script', '--layers', 'rust', '--project', project], env)).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ layers: ['base', 'developer', 'rust'], accessMode: 'tunnel', idleTimeoutMinutes: 60, compressed: false, userDataLimitBytes: 16384 });
    expect(json.script).toBe(json.userData);
    expect((json.steps as Array<{ name: string; digest?: string }>).at(-1)).toEqual({ name: 'start code-server and the idle agent' });
  });

  it('exits with 2 and lists every problem for unknown layers and broken files', async () => {
    const unknown = await porthole(['script', '--layers', 'developer,ghost', '--project', project], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--layers [1]: There is no layer named "ghost".');

    await writeFile(join(project, '.porthole', 'broken.json'), JSON.stringify({ name: 'broken', description: 'x', extends: ['loop'], files: [{ path: '/etc/cron.d/x', content: '', mode: 'rw' }] }));
    await writeFile(join(project, '.porthole', 'loop.json'), JSON.stringify({ name: 'loop', description: 'x', extends: ['broken'] }));
    const broken = await porthole(['--json', 'layers', '--project', project], env);
    expect(broken.code).toBe(2);
    const error = (JSON.parse(broken.stdout) as { error: { kind: string; message: string } }).error;
    expect(error.kind).toBe('usage');
    expect(error.message).toContain('broken.json $.files[0].path');
    expect(error.message).toContain('broken.json $.files[0].mode');

    await writeFile(join(project, '.porthole', 'broken.json'), JSON.stringify({ name: 'broken', description: 'x', extends: ['loop'] }));
    const cycle = await porthole(['script', '--layers', 'broken', '--project', project], env);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('Layers extend each other in a cycle: broken -> loop -> broken.');
  });
});
