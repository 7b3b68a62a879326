import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireWorkspaceAccess, type AccessParts } from '../../src/core/access/workspace-access-wiring.js';
import type { TunnelEvent } from '../../src/core/access/tunnel-events.js';
import { codeServerBin, until } from './code-server-bin.js';
import { startEngineFixture, type EngineFixture } from './engine-fixture.js';

const QUICK = { create: 300, start: 300, stop: 300, reboot: 300, delete: 300, snapshot: 300 };

export interface AccessFixture extends AccessParts {
  f: EngineFixture;
  events: TunnelEvent[];
  /** The emulator's SSH CA private key (kept in its state file), to sign certificates a test needs. */
  caPrivateKey(): Promise<string>;
  close(): Promise<void>;
}

/** An engine over a sandbox whose instances run a real sshd and code-server, with Porthole's access wired on top. */
export async function startAccessFixture(): Promise<AccessFixture> {
  const codeServer = codeServerBin();
  // The instances' folders go beside the state file: a private folder keeps parallel suites apart.
  const stateDir = await mkdtemp(join(tmpdir(), 'porthole-access-'));
  const stateFile = join(stateDir, 'state.json');
  const f = await startEngineFixture({ durations: QUICK, timeScale: 1, stateFile, instanceRuntime: { codeServer } });
  const parts = wireWorkspaceAccess({
    engine: f.engine,
    gateway: f.gateway,
    sandboxEndpoint: f.emulator.endpoint,
    settings: f.settings,
    tunnelOptions: { healthIntervalMs: 500, backoffBaseMs: 100, backoffMaxMs: 1_000 },
  });
  const events: TunnelEvent[] = [];
  parts.tunnels.events.subscribe((event) => events.push(event));
  return {
    ...parts,
    f,
    events,
    caPrivateKey: async () => {
      await f.emulator.flush();
      return (JSON.parse(await readFile(stateFile, 'utf8')) as { sshCa: { privateKeyPem: string } }).sshCa.privateKeyPem;
    },
    close: async () => {
      await parts.access.closeAll();
      await f.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Creates a workspace and waits until its sshd and code-server answer on the emulator's endpoints route. */
export async function readyWorkspace(a: AccessFixture, name: string, accessMode: 'tunnel' | 'direct' = 'tunnel'): Promise<void> {
  await a.f.engine.create({ name, bundleId: 'small_3_0', accessMode });
  await until(
    `${name} ready`,
    async () => {
      await a.f.engine.refresh();
      return a.f.engine.get(name).state === 'ready' ? true : undefined;
    },
    60_000,
  ).catch((error: unknown) => {
    const workspace = a.f.engine.get(name);
    throw new Error(`${String(error)}: it is ${workspace.state}${workspace.reason ? ` (${workspace.reason})` : ''}`);
  });
  await until(
    `${name}'s processes`,
    async () => {
      const response = await fetch(`${a.f.emulator.endpoint}/_emulator/instances/us-east-1/${name}/endpoints`);
      return response.ok ? true : undefined;
    },
    60_000,
  );
}
