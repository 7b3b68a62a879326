import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OperationKind } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { removeStaleTemporaryFiles, writeFileAtomic } from '../fs/atomic-write.js';
import { removeAbandonedLock, withFileLock } from '../fs/file-lock.js';
import { describeWorkspace, sameWorkspace, type WorkspaceRef } from './workspace-ref.js';

export interface JournalStep {
  name: string;
  startedAt: string;
  /** Missing while the cloud call is in flight: after a crash, its outcome is unknown and must be looked up. */
  doneAt?: string;
}

export interface JournalEntry {
  id: string;
  kind: OperationKind;
  workspace: WorkspaceRef;
  steps: JournalStep[];
  /**
   * Names of the cloud resources the operation made or is about to make
   * (instance, static IP, snapshot), recorded before each call so that
   * after a crash Porthole knows what to look for, finish or undo.
   */
  data: Record<string, string>;
  /** Why the operation stopped, when it stopped on an error it could not recover from. */
  failure?: string;
  startedAt: string;
  updatedAt: string;
}

export interface OperationJournalOptions {
  now?: () => Date;
}

interface JournalFile {
  version: 1;
  entries: JournalEntry[];
}

const PAST_PARTICIPLE: Record<OperationKind, string> = {
  create: 'created',
  start: 'started',
  stop: 'stopped',
  reboot: 'rebooted',
  delete: 'deleted',
  hibernate: 'hibernated',
  resume: 'resumed',
  bake: 'baked into an image',
  restore: 'restored from a backup',
};

/**
 * The record of multi-step operations still under way, so that a crash,
 * a kill or a power cut in the middle of a create or a hibernate leaves
 * enough on disk to finish or undo it and leak nothing in the cloud.
 * Every change is on disk before the call that made it returns.
 *
 * The file is shared by every Porthole process of the user (the app and
 * each CLI command): reads go to the file, and each change re-reads it
 * under a lock, so no process writes back a stale copy over another's work.
 */
export class OperationJournal {
  readonly path: string;
  readonly #lockPath: string;
  readonly #now: () => Date;
  /** This process's changes go one after another, so they queue here rather than on the lock file. */
  #changes: Promise<unknown> = Promise.resolve();

  private constructor(path: string, now: () => Date) {
    this.path = path;
    this.#lockPath = `${path}.lock`;
    this.#now = now;
  }

  /** Opens the journal at `path`, refusing a broken file now rather than mid-operation. */
  static async open(path: string, { now = () => new Date() }: OperationJournalOptions = {}): Promise<OperationJournal> {
    const journal = new OperationJournal(path, now);
    await removeAbandonedLock(journal.#lockPath);
    await removeStaleTemporaryFiles(path);
    journal.#read();
    return journal;
  }

  /** Starts recording an operation; a workspace has at most one under way. */
  begin(kind: OperationKind, workspace: WorkspaceRef, data: Record<string, string> = {}): Promise<JournalEntry> {
    return this.#change((entries) => {
      const running = entries.find((entry) => sameWorkspace(entry.workspace, workspace));
      if (running) {
        throw new PortholeError(
          'wrong-state',
          `Workspace ${describeWorkspace(workspace)} is still being ${PAST_PARTICIPLE[running.kind]} (since ${running.startedAt}).`,
          { fix: 'Wait for that to finish; if Porthole was closed during it, it picks it up again on its next refresh.' },
        );
      }
      const at = this.#now().toISOString();
      const entry: JournalEntry = {
        id: randomUUID(),
        kind,
        workspace: { account: workspace.account, region: workspace.region, name: workspace.name },
        steps: [],
        data: { ...data },
        startedAt: at,
        updatedAt: at,
      };
      return { entries: [...entries, entry], result: entry };
    });
  }

  /** Call right before a cloud call, with the names of what it will make. */
  beforeStep(id: string, step: string, data: Record<string, string> = {}): Promise<void> {
    return this.#update(id, (entry, at) => {
      const existing = entry.steps.find((candidate) => candidate.name === step);
      if (existing?.doneAt) {
        throw new PortholeError('internal', `Step "${step}" of operation ${id} is already done.`);
      }
      // A step started again after a crash keeps one record: it is the same step, retried.
      const steps = existing
        ? entry.steps.map((candidate) => (candidate === existing ? { name: step, startedAt: at } : candidate))
        : [...entry.steps, { name: step, startedAt: at }];
      return { ...entry, steps, data: { ...entry.data, ...data } };
    });
  }

  /** Call right after a cloud call succeeded, with the names of what it made. */
  afterStep(id: string, step: string, data: Record<string, string> = {}): Promise<void> {
    return this.#update(id, (entry, at) => {
      const started = entry.steps.find((candidate) => candidate.name === step && !candidate.doneAt);
      if (!started) {
        throw new PortholeError('internal', `Step "${step}" of operation ${id} was not started, or is already done.`);
      }
      const steps = entry.steps.map((candidate) => (candidate === started ? { ...started, doneAt: at } : candidate));
      return { ...entry, steps, data: { ...entry.data, ...data } };
    });
  }

  /** Marks the operation as stopped on an error; it stays unfinished until it is retried or undone. */
  fail(id: string, failure: string): Promise<void> {
    return this.#update(id, (entry) => ({ ...entry, failure }));
  }

  /** Forgets the operation: it completed, or everything it made has been undone. */
  finish(id: string): Promise<void> {
    return this.#change((entries) => ({ entries: entries.filter((entry) => entry.id !== id), result: undefined }));
  }

  /** Operations begun and not finished, oldest first: after a start-up these are the ones a crash interrupted. */
  unfinished(): JournalEntry[] {
    return this.#read();
  }

  entry(id: string): JournalEntry | undefined {
    return this.#read().find((entry) => entry.id === id);
  }

  runningFor(workspace: WorkspaceRef): JournalEntry | undefined {
    return this.#read().find((entry) => sameWorkspace(entry.workspace, workspace));
  }

  #update(id: string, change: (entry: JournalEntry, at: string) => JournalEntry): Promise<void> {
    return this.#change((entries) => {
      const at = this.#now().toISOString();
      let found = false;
      const next = entries.map((entry) => {
        if (entry.id !== id) return entry;
        found = true;
        return { ...change(entry, at), updatedAt: at };
      });
      if (!found) throw new PortholeError('internal', `Operation ${id} is not in the operations journal.`);
      return { entries: next, result: undefined };
    });
  }

  #change<T>(change: (entries: JournalEntry[]) => { entries: JournalEntry[]; result: T }): Promise<T> {
    const run = () =>
      withFileLock(this.#lockPath, async () => {
        const { entries, result } = change(this.#read());
        await this.#save(entries);
        return result;
      });
    const done = this.#changes.then(run, run);
    this.#changes = done.catch(() => undefined);
    return done;
  }

  /**
   * Synchronous because callers ask in the middle of building a view; the
   * file holds only operations under way, a few kilobytes at most.
   */
  #read(): JournalEntry[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new PortholeError('internal', `Could not read the operations journal at ${this.path}.`, {
        fix: 'Check that the file is readable by you.',
        cause: error,
      });
    }
    return parseJournal(text, this.path);
  }

  async #save(entries: JournalEntry[]): Promise<void> {
    const file: JournalFile = { version: 1, entries };
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (error) {
      throw new PortholeError('internal', `Could not save the operations journal at ${this.path}.`, {
        fix: 'Check that the disk has free space and the folder is writable; the operation did not start its next step.',
        cause: error,
      });
    }
  }
}

/** The step whose cloud call was in flight when the operation was interrupted, if any. */
export function stepInFlight(entry: JournalEntry): JournalStep | undefined {
  return entry.steps.find((step) => !step.doneAt);
}

export function isStepDone(entry: JournalEntry, step: string): boolean {
  return entry.steps.some((candidate) => candidate.name === step && candidate.doneAt !== undefined);
}

function parseJournal(text: string, path: string): JournalEntry[] {
  const broken = (why: string) =>
    new PortholeError('internal', `The operations journal at ${path} ${why}.`, {
      fix: 'Move it aside and restart Porthole; it rebuilds workspace state from the cloud, but check the console for resources it may have left behind.',
    });
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw broken('is not valid JSON');
  }
  if (!isRecord(file) || file.version !== 1 || !Array.isArray(file.entries)) {
    throw broken('is not in a format this version of Porthole knows');
  }
  if (!file.entries.every(isJournalEntry)) throw broken('has an entry without an id, kind, workspace or steps');
  return file.entries;
}

function isJournalEntry(value: unknown): value is JournalEntry {
  if (!isRecord(value) || !isRecord(value.workspace) || !isRecord(value.data)) return false;
  const { workspace } = value;
  return (
    typeof value.id === 'string' &&
    typeof value.kind === 'string' &&
    value.kind in PAST_PARTICIPLE &&
    typeof workspace.account === 'string' &&
    typeof workspace.region === 'string' &&
    typeof workspace.name === 'string' &&
    Array.isArray(value.steps) &&
    value.steps.every((step) => isRecord(step) && typeof step.name === 'string' && typeof step.startedAt === 'string') &&
    typeof value.startedAt === 'string' &&
    typeof value.updatedAt === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
