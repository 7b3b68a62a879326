import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image } from '../../src/core/workspaces/images.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';

/**
 * `porthole bake` killed on either side of each of its steps: the next
 * command carries the bake on from the journal, and exactly one image
 * snapshot results.
 */
describe('a crash during porthole bake', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { stop(): Promise<void> };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'porthole-bake-crash-'));
    env = { PORTHOLE_HOME: home };
    emulator = await startSandboxEmulator(env, 200);
    const create = await porthole(['create', 'src', '--layers', 'developer'], env);
    expect(create.code, create.stderr).toBe(0);
  });
  afterAll(async () => {
    await porthole(['delete', 'src', '--yes'], env);
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('is finished by the next command, with one snapshot per image and nothing else', { timeout: 300_000 }, async () => {
    const points = ['bake:0:before', 'bake:0:after', 'bake:1:before', 'bake:1:after'];
    for (const [index, point] of points.entries()) {
      const image = `img-${index}`;
      const killed = await porthole(['bake', 'src', '--as', image], { ...env, PORTHOLE_CRASH_AT: point });
      expect(killed.code, `${point}: ${killed.stderr}`).toBeNull();
      if (index === 0) {
        // Before the next command carries it on, porthole doctor names the interrupted bake.
        const doctor = JSON.parse((await porthole(['--json', 'doctor', '--older-than', '0'], env)).stdout) as { leaks: Array<{ kind: string; name: string; operation?: { kind: string } }> };
        expect(doctor.leaks.map((l) => [l.kind, l.name, l.operation?.kind])).toEqual([['operation', 'src', 'bake']]);
      }

      const next = await porthole(['images'], env);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).toMatch(/finishing an interrupted bake: \[\d\/2\]/);
      const images = JSON.parse((await porthole(['--json', 'images'], env)).stdout) as Image[];
      expect(images.map((i) => i.name), point).toEqual(points.slice(0, index + 1).map((_, i) => `img-${i}`));
      expect(images.every((i) => i.state === 'available' && i.layers.join(',') === 'base,developer')).toBe(true);
    }
    // The workspace was never taken down by any of it.
    expect((JSON.parse((await porthole(['--json', 'status', 'src'], env)).stdout) as { state: string }).state).toBe('ready');
    for (const [index] of points.entries()) expect((await porthole(['images', 'delete', `img-${index}`, '--yes'], env)).code).toBe(0);
  });
});
