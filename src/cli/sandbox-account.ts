import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SANDBOX_CREDENTIALS } from '../emulator/sandbox-credentials.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { codeServerSearchDirs, findCodeServer } from '../emulator/runtime/code-server-install.js';
import { isProcessRunning } from '../core/fs/process-running.js';

/**
 * The Sandbox account: lightsail-local, kept in Porthole's data folder so
 * sandbox workspaces outlive the process that made them. One process at a
 * time serves it (the app, `porthole emulator`, or a CLI command); the others
 * find it through the lock file and talk to it over loopback.
 */
export interface SandboxConnection {
  endpoint: string;
  /** Its IAM Identity Center and STS sibling, when the process serving the sandbox says where. */
  identityEndpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Stops the emulator if this process started it. */
  release(): Promise<void>;
}

interface LockFile {
  pid: number;
  endpoint: string;
  identityEndpoint?: string;
}

/**
 * Lightsail takes about a minute to start an instance; the sandbox is quicker
 * so that trying Porthole feels like it, but still slow enough to show each
 * state on the way.
 */
const SANDBOX_DURATIONS = { create: 6_000, start: 4_000, stop: 4_000, reboot: 3_000, delete: 3_000, snapshot: 6_000 };

export function sandboxDir(dataDir: string): string {
  return join(dataDir, 'sandbox');
}

/**
 * When sandbox instances get their sshd and code-server: as soon as they run
 * (a long-lived server: `porthole emulator`), or once a client asks where
 * they listen (a single command, which would otherwise start and kill a
 * code-server per running instance for nothing).
 */
export type SandboxInstanceStart = 'when-running' | 'on-demand';

/**
 * Sandbox instances run a real sshd and code-server on loopback for as long
 * as the process serving the sandbox lives, once code-server is installed
 * (`porthole sandbox install`, looked for at each start, so installing it
 * while the sandbox runs is enough); until then the emulator's endpoints
 * route says how to get it.
 */
function instanceRuntime(dataDir: string, start: SandboxInstanceStart) {
  return { instanceRuntime: { codeServer: () => findCodeServer(codeServerSearchDirs(dataDir)), startOnDemand: start === 'on-demand' } };
}

export async function connectSandbox(
  dataDir: string,
  options: { port?: number; timeScale?: number; instances?: SandboxInstanceStart } = {},
): Promise<SandboxConnection> {
  const dir = sandboxDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lockPath = join(dir, 'emulator.lock');
  for (let attempt = 0; attempt < 50; attempt++) {
    const running = await readLiveLock(lockPath);
    if (running) {
      return { endpoint: running.endpoint, ...(running.identityEndpoint ? { identityEndpoint: running.identityEndpoint } : {}), credentials: SANDBOX_CREDENTIALS, release: async () => {} };
    }
    const handle = await open(lockPath, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (!handle) {
      // Another process is starting it right now; its lock will name the endpoint in a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    let emulator: RunningEmulator;
    try {
      emulator = await startEmulator({
        port: options.port ?? 0,
        stateFile: join(dir, 'state.json'),
        timeScale: options.timeScale ?? 1,
        durations: SANDBOX_DURATIONS,
        ...instanceRuntime(dataDir, options.instances ?? 'on-demand'),
      });
      await handle.writeFile(JSON.stringify({ pid: process.pid, endpoint: emulator.endpoint, identityEndpoint: emulator.identityEndpoint } satisfies LockFile));
    } catch (error) {
      await handle.close();
      await rm(lockPath, { force: true });
      throw error;
    }
    await handle.close();
    const release = async () => {
      await rm(lockPath, { force: true });
      await emulator.close();
    };
    return { endpoint: emulator.endpoint, identityEndpoint: emulator.identityEndpoint, credentials: SANDBOX_CREDENTIALS, release };
  }
  throw new Error(`The sandbox lock ${lockPath} stays empty; remove it if no Porthole process is running.`);
}

async function readLiveLock(lockPath: string): Promise<LockFile | undefined> {
  let lock: LockFile;
  try {
    lock = JSON.parse(await readFile(lockPath, 'utf8')) as LockFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Half-written by a process that is starting it: treat as busy, the caller waits.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (isProcessRunning(lock.pid) && (await answers(lock.endpoint))) return lock;
  // Its process died without cleaning up: the lock is stale.
  await rm(lockPath, { force: true });
  return undefined;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/_emulator/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}
