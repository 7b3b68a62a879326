import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForwardedPort } from '../../shared/ports.js';
import { PortholeError } from '../errors.js';
import { withFileLock } from '../fs/file-lock.js';
import { isProcessRunning } from '../fs/process-running.js';
import { DEFAULT_AUTO_FORWARD, formatAutoForward, parseAutoForward, type PortPreferences } from './forward-plan.js';

export interface PortsWorkspace {
  account: string;
  region: string;
  name: string;
}

interface StoredPreferences {
  autoForward?: string;
  manual?: Array<{ port: number; localPort?: number }>;
  /** Each stop names the session of the forwards holder it was made in; another session's stops do not count. */
  stopped?: Array<{ port: number; session: string }>;
}

interface StoredFile {
  workspaces: Record<string, StoredPreferences>;
}

const keyOf = (ref: PortsWorkspace) => `${ref.account}/${ref.region}/${ref.name}`;

/**
 * Each workspace's port choices (its auto-forward range, the ports the user
 * forwarded or stopped) in `ports.json` of the data folder: written by the
 * CLI and the app under one lock, read by whichever process holds the tunnel.
 * A stop lasts one session of that holder (the app or `porthole ui` running,
 * the workspace running): the store is opened for the holder's session and
 * sees that session's stops only, so after a restart auto-forward applies again.
 */
export class PortPreferencesStore {
  readonly path: string;

  /** `session`: the forwards holder's (LiveForwards' `session`); without one, no port counts as stopped and stops cannot change. */
  constructor(
    readonly dataDir: string,
    readonly session?: string,
  ) {
    this.path = join(dataDir, 'ports.json');
  }

  async get(ref: PortsWorkspace): Promise<PortPreferences> {
    return toPreferences((await this.#read()).workspaces[keyOf(ref)], this.path, this.session);
  }

  /** When the file last changed (0 while there is none), so a holder of forwards sees another process's request. */
  async version(): Promise<number> {
    return (await stat(this.path).catch(() => undefined))?.mtimeMs ?? 0;
  }

  async update(ref: PortsWorkspace, change: (current: PortPreferences) => PortPreferences): Promise<PortPreferences> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    return withFileLock(`${this.path}.lock`, async () => {
      const file = await this.#read();
      const stored = file.workspaces[keyOf(ref)];
      const next = change(toPreferences(stored, this.path, this.session));
      // Stops of an ended session are dropped; without a session the holder's stay as they are.
      const session = this.session;
      const stopped = session === undefined ? storedStops(stored) : next.stopped.map((port) => ({ port, session }));
      file.workspaces[keyOf(ref)] = {
        ...(next.autoForward?.from === DEFAULT_AUTO_FORWARD.from && next.autoForward.to === DEFAULT_AUTO_FORWARD.to ? {} : { autoForward: formatAutoForward(next.autoForward) }),
        ...(next.manual.length > 0 ? { manual: next.manual } : {}),
        ...(stopped.length > 0 ? { stopped } : {}),
      };
      await writeAtomically(this.path, `${JSON.stringify(file, null, 2)}\n`);
      return next;
    });
  }

  async #read(): Promise<StoredFile> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return { workspaces: {} };
    try {
      const parsed = JSON.parse(text) as Partial<StoredFile>;
      return { workspaces: parsed.workspaces && typeof parsed.workspaces === 'object' ? parsed.workspaces : {} };
    } catch {
      throw new PortholeError('invalid-input', `${this.path} is not valid JSON.`, { fix: 'Fix or delete it: it only holds port forwarding choices, which start over without it.' });
    }
  }
}

function toPreferences(stored: StoredPreferences | undefined, path: string, session: string | undefined): PortPreferences {
  let autoForward: PortPreferences['autoForward'] = DEFAULT_AUTO_FORWARD;
  if (stored?.autoForward !== undefined) {
    try {
      autoForward = parseAutoForward(stored.autoForward);
    } catch (error) {
      throw new PortholeError('invalid-input', `${path} has an auto-forward range Porthole cannot read: ${(error as Error).message}`, { fix: 'Set it again with "porthole ports NAME --auto 3000-9999".' });
    }
  }
  const ports = (list: unknown): number[] => (Array.isArray(list) ? list.filter((p): p is number => Number.isInteger(p) && p >= 1 && p <= 65_535) : []);
  const manual = Array.isArray(stored?.manual)
    ? stored.manual.filter((m) => ports([m.port]).length === 1).map((m) => ({ port: m.port, ...(ports([m.localPort]).length === 1 ? { localPort: m.localPort! } : {}) }))
    : [];
  const stopped = session === undefined ? [] : storedStops(stored).filter((stop) => stop.session === session).map((stop) => stop.port);
  return { autoForward, manual, stopped };
}

/** The well-formed stops (a file from before stops had sessions lists bare numbers, which no session owns). */
function storedStops(stored: StoredPreferences | undefined): Array<{ port: number; session: string }> {
  if (!Array.isArray(stored?.stopped)) return [];
  return stored.stopped.filter((stop) => typeof stop === 'object' && stop !== null && Number.isInteger(stop.port) && stop.port >= 1 && stop.port <= 65_535 && typeof stop.session === 'string');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
}

/** What the process holding an account's tunnels forwards now: the app or `porthole ui`, which `porthole ports` and `forward --background` consult. */
export interface LiveForwards {
  pid: number;
  /** This run of the holder: the ports the user stops are stopped for it alone. */
  session: string;
  workspaces: Record<string, { forwards: ForwardedPort[]; problem?: string }>;
}

/** The file a forwards holder keeps up to date, one per account. */
export class LiveForwardsFile {
  readonly path: string;

  constructor(dataDir: string, readonly account: string) {
    this.path = join(dataDir, `ports-forwarded-${encodeURIComponent(account)}.json`);
  }

  static key(region: string, name: string): string {
    return `${region}/${name}`;
  }

  async write(live: LiveForwards): Promise<void> {
    await writeAtomically(this.path, `${JSON.stringify(live)}\n`);
  }

  /** The holder's forwards, or undefined when no running process holds them. */
  async read(): Promise<LiveForwards | undefined> {
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const live = JSON.parse(text) as LiveForwards;
      return isProcessRunning(live.pid) ? live : undefined;
    } catch {
      return undefined;
    }
  }

  remove(): Promise<void> {
    return rm(this.path, { force: true });
  }
}
