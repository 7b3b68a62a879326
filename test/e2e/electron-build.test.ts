import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES } from '../../src/shared/contract.js';

/**
 * `npm run build` (electron-vite) as the app ships it, into a private
 * folder; then the built preload, run as Electron runs a sandboxed preload
 * (a classic script whose only require is 'electron'), with the two
 * Electron objects it touches recorded, so what it exposes is checked on
 * the very file the app loads, here where no Electron binary exists.
 */
describe('the desktop app build', () => {
  let out: string;
  let build: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'porthole-build-'));
    build = spawnSync('npx', ['electron-vite', 'build'], { encoding: 'utf8', env: { ...process.env, PORTHOLE_OUT_DIR: out } });
  }, 120_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('builds main, preload and renderer', async () => {
    expect(build.status, String(build.stderr)).toBe(0);
    const main = await readFile(join(out, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    const html = await readFile(join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('imports in main only Node built-ins, electron and production dependencies, which a packaged app ships', async () => {
    const main = await readFile(join(out, 'main', 'index.js'), 'utf8');
    const { dependencies } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const specifiers = [...main.matchAll(/^import\s[^;]*?from\s*"([^"]+)";?$|\bimport\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2]!);
    const packages = [...new Set(specifiers.filter((s) => !s.startsWith('node:') && !s.startsWith('.')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)))];
    expect(packages).toContain('electron');
    expect(packages.filter((name) => name !== 'electron' && !(name in dependencies))).toEqual([]);
    expect(specifiers.filter((s) => s.startsWith('.'))).toEqual([]);
  });

  describe('the preload', () => {
    interface Recorded {
      exposed: Map<string, unknown>;
      invoked: Array<{ channel: string; request: unknown }>;
      ipcListeners: Map<string, (event: unknown, ...args: unknown[]) => void>;
      required: string[];
    }
    let recorded: Recorded;
    let bridge: {
      call(name: string, request: unknown): Promise<unknown>;
      on(event: string, listener: (payload: unknown) => void): () => void;
    };

    beforeAll(async () => {
      const source = await readFile(join(out, 'preload', 'index.cjs'), 'utf8');
      recorded = { exposed: new Map(), invoked: [], ipcListeners: new Map(), required: [] };
      const electron = {
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => recorded.exposed.set(key, api) },
        ipcRenderer: {
          invoke: async (channel: string, request: unknown) => {
            recorded.invoked.push({ channel, request });
            return { ok: true, response: [] };
          },
          on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => recorded.ipcListeners.set(channel, listener),
        },
      };
      const require = (name: string) => {
        recorded.required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require "${name}"`);
        return electron;
      };
      // A classic script, as Electron runs a sandboxed preload: an import or export statement would not even parse.
      new Script(source, { filename: 'index.cjs' }).runInContext(createContext({ require, console, Promise, Map, Set, TypeError, String }));
      bridge = recorded.exposed.get('porthole') as typeof bridge;
    });

    it('requires nothing but electron, and exposes only window.porthole with call and on', () => {
      expect(recorded.required).toEqual(['electron']);
      expect([...recorded.exposed.keys()]).toEqual(['porthole']);
      expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    });

    it('forwards every contract call on its own channel', async () => {
      for (const name of CALL_NAMES) await bridge.call(name, { name: 'demo' });
      expect(recorded.invoked.map((i) => i.channel)).toEqual(CALL_NAMES.map((name) => `porthole:call:${name}`));
    });

    it('refuses a name outside the contract without reaching main', async () => {
      const before = recorded.invoked.length;
      for (const name of ['constructor', '__proto__', 'toString', 'porthole:call:listWorkspaces', 'deleteEverything']) {
        expect(await bridge.call(name, {})).toMatchObject({ ok: false, error: { kind: 'usage' } });
      }
      expect(recorded.invoked.length).toBe(before);
    });

    it('delivers contract events to subscribers until they unsubscribe, and drops unknown events', () => {
      const heard: unknown[] = [];
      const unsubscribe = bridge.on('notice', (payload) => heard.push(payload));
      const deliver = recorded.ipcListeners.get('porthole:event')!;
      deliver({ sender: 'ipc internals' }, 'notice', { title: 'one' });
      deliver({}, 'madeUp', { title: 'dropped' });
      unsubscribe();
      deliver({}, 'notice', { title: 'after' });
      expect(heard).toEqual([{ title: 'one' }]);
      expect(() => bridge.on('madeUp', () => undefined)).toThrow(/not a Porthole event/);
    });
  });
});
