import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkspaceEvent, WorkspaceEventStream } from '../workspaces/workspace-events.js';

/** One engine event as kept on disk: what happened to which workspace, never a secret. */
export interface HistoryEntry {
  at: string;
  type: WorkspaceEvent['type'];
  account?: string;
  workspace?: string;
  region?: string;
  /** What the event says, in a line: a state change, a step, a failure. */
  detail: string;
}

/** The file beside the settings where every Porthole process (the app, each CLI command) appends its engine's events. */
export function eventHistoryPath(dataDir: string): string {
  return join(dataDir, 'events.ndjson');
}

/** Past this size the file keeps only its newer half, so it stays small however long Porthole runs. */
const MAX_BYTES = 512 * 1024;

export function historyEntry(event: WorkspaceEvent, at: Date): HistoryEntry {
  const when = at.toISOString();
  switch (event.type) {
    case 'workspace-changed': {
      const { workspace: w, previous } = event;
      const change = previous && previous.state !== w.state ? `${previous.state} -> ${w.state}` : w.state;
      const step = w.provisioning ? ` (provisioning step ${w.provisioning.index} of ${w.provisioning.total}: ${w.provisioning.step})` : '';
      return { at: when, type: event.type, account: w.account, workspace: w.name, region: w.region, detail: `${change}${step}${w.reason ? `: ${w.reason}` : ''} [${event.cause}]` };
    }
    case 'workspace-removed':
      return { at: when, type: event.type, account: event.workspace.account, workspace: event.workspace.name, region: event.workspace.region, detail: 'removed' };
    case 'operation-progress':
      return { at: when, type: event.type, workspace: event.workspace, region: event.region, detail: `${event.progress.kind}: [${event.progress.index}/${event.progress.total}] ${event.progress.step}` };
    case 'idle-warning':
      return { at: when, type: event.type, workspace: event.name, region: event.region, detail: `stops at ${event.stopsAt} unless used` };
    case 'refresh-failed':
      return { at: when, type: event.type, account: event.account, detail: `${event.kind}: ${event.message}` };
    case 'refreshed':
      return { at: when, type: event.type, account: event.account, detail: `${event.count} workspaces` };
    case 'account':
      return { at: when, type: event.type, account: event.account, detail: `${event.health}${event.message ? `: ${event.message}` : ''}` };
    case 'firewall-followed':
      return { at: when, type: event.type, account: event.account, workspace: event.name, region: event.region, detail: `SSH rule moved from ${event.from ?? 'an unrecorded address'} to ${event.to}` };
  }
}

/**
 * Appends the engine's events to the history file as they happen, for
 * "Export diagnostics". A write that fails is dropped: the history helps
 * explain a problem and must never cause one. Returns the unsubscribe.
 */
export function recordEventHistory(events: WorkspaceEventStream, path: string, now: () => Date = () => new Date()): () => void {
  let writing = Promise.resolve();
  return events.subscribe((event) => {
    if (event.type === 'refreshed') return;
    const line = `${JSON.stringify(historyEntry(event, now()))}\n`;
    writing = writing.then(() => appendLine(path, line)).catch(() => undefined);
  });
}

async function appendLine(path: string, line: string): Promise<void> {
  await appendFile(path, line, { mode: 0o600 });
  if ((await stat(path)).size <= MAX_BYTES) return;
  const text = await readFile(path, 'utf8');
  const half = text.slice(text.length / 2);
  await writeFile(path, half.slice(half.indexOf('\n') + 1), { mode: 0o600 });
}

/** The newest `limit` entries about one workspace (and its account's refresh failures), oldest first. */
export async function readEventHistory(path: string, filter: { workspace: string; region: string; account: string }, limit = 500): Promise<HistoryEntry[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const entries: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as HistoryEntry);
    } catch {
      // A line cut short by a crash: the others still tell the story.
    }
  }
  const about = (entry: HistoryEntry) =>
    entry.workspace !== undefined ? entry.workspace === filter.workspace && (entry.region === undefined || entry.region === filter.region) : entry.account === filter.account;
  return entries.filter(about).slice(-limit);
}
