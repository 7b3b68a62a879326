import { isPortholeError } from '../core/errors.js';
import { journalPath } from '../core/workspaces/account-engine.js';
import { watchJournal } from '../core/workspaces/journal-watch.js';
import type { WorkspaceEvent } from '../core/workspaces/workspace-events.js';
import { WorkspacePoller } from '../core/workspaces/workspace-poller.js';
import type { Workspace } from '../shared/workspace.js';
import type { CliIo } from './cli-io.js';
import { openEngine, type GlobalOptions } from './context.js';
import { changeLine, removedLine, watchFrame } from './format.js';
import { interrupted } from './interrupted.js';

/** What the watch shows: the first list, the engine's events, each refresh that worked, and what went wrong. */
type WatchEvent = WorkspaceEvent | { type: 'start'; workspaces: Workspace[] } | { type: 'looked' } | { type: 'notice'; message: string };

/** How the changes are shown: the list redrawn in place, a line per change, or a JSON object per change. */
type WatchOutput = (event: WatchEvent) => void;

/**
 * `porthole ls --watch`: the list as the engine sees it, shown again at
 * every change until Ctrl-C. The changes come from the engine's event
 * stream, fed by the poller on its own schedule (about once a second while
 * something changes, once a minute when steady) and by the instances' own
 * status reads, as in the dashboard; an operation another Porthole process
 * begins is seen at once through the operations journal. Nothing else asks
 * the cloud.
 */
export async function watchList(globals: GlobalOptions, io: CliIo): Promise<void> {
  const opened = await openEngine(globals, io, { readInstances: true });
  const { engine } = opened;
  let closing = false;
  const show = globals.json ? jsonOutput(io, engine.account) : io.stdout.isTTY ? terminalOutput(io, engine.account, () => engine.list()) : lineOutput(io);
  const notice = (message: string) => {
    if (!closing) show({ type: 'notice', message });
  };
  show({ type: 'start', workspaces: engine.list() });
  const unsubscribe = engine.events.subscribe((event) => {
    if (!closing) show(event);
  });
  const looked = {
    refresh: async () => {
      await engine.refresh();
      if (!closing) show({ type: 'looked' });
    },
    isChanging: () => engine.isChanging(),
  };
  const poller = new WorkspacePoller(looked, {
    onError: (error) => {
      if (!isPortholeError(error, 'credentials')) notice(`porthole: could not refresh the list: ${error instanceof Error ? error.message : String(error)}`);
    },
    onCredentials: (health, error) =>
      notice(health === 'ok' ? `porthole: account ${engine.account} answers again.` : `porthole: ${error instanceof Error ? error.message : `the credentials of account ${engine.account} stopped working`}`),
  });
  const stopWatchingJournal = watchJournal(journalPath(opened.dataDir), () => {
    // While something changes the poller already looks every second; a paused account waits for its sign-in.
    if (!engine.isChanging() && !poller.isPausedForCredentials()) void poller.poke();
  });
  // The poller's and the journal watch's handles do not keep a process alive; this one does, until Ctrl-C.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  poller.start();
  try {
    await interrupted();
  } finally {
    closing = true;
    clearInterval(keepAlive);
    poller.stop();
    stopWatchingJournal();
    unsubscribe();
    await opened.close();
  }
}

function lineOutput(io: CliIo): WatchOutput {
  return (event) => {
    const at = new Date();
    let line: string | undefined;
    if (event.type === 'start') for (const workspace of event.workspaces) io.stdout.write(`${changeLine(undefined, workspace, at)}\n`);
    else if (event.type === 'workspace-changed') line = changeLine(event.previous, event.workspace, at);
    else if (event.type === 'workspace-removed') line = removedLine(event.workspace, at);
    else if (event.type === 'notice') io.stderr.write(`${event.message}\n`);
    if (line) io.stdout.write(`${line}\n`);
  };
}

/** NDJSON: one object per change of the engine's view, after the first `list`. */
function jsonOutput(io: CliIo, account: string): WatchOutput {
  return (event) => {
    const at = new Date().toISOString();
    if (event.type === 'start') {
      io.stdout.write(`${JSON.stringify({ event: 'list', at, account, workspaces: event.workspaces })}\n`);
    } else if (event.type === 'workspace-changed') {
      const previousState = event.previous?.state;
      io.stdout.write(`${JSON.stringify({ event: 'changed', at, ...(previousState ? { previousState } : {}), workspace: event.workspace })}\n`);
    } else if (event.type === 'workspace-removed') {
      io.stdout.write(`${JSON.stringify({ event: 'removed', at, name: event.workspace.name, region: event.workspace.region })}\n`);
    } else if (event.type === 'notice') {
      io.stderr.write(`${event.message}\n`);
    }
  };
}

/** The list redrawn over the previous drawing, once per burst of events and after each look at the cloud; a notice stays under it until a look works. */
function terminalOutput(io: CliIo, account: string, list: () => Workspace[]): WatchOutput {
  let drawnRows = 0;
  let pending = false;
  let lastNotice: string | undefined;
  // A terminal that does not say its width (0) is taken as 80 columns wide.
  const columns = () => (io.stdout as { columns?: number }).columns || 80;
  const draw = () => {
    pending = false;
    const frame = watchFrame(account, list(), new Date(), lastNotice);
    const rows = frame
      .slice(0, -1)
      .split('\n')
      .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / columns())), 0);
    io.stdout.write(`${drawnRows > 0 ? `\x1b[${drawnRows}A\r\x1b[J` : ''}${frame}`);
    drawnRows = rows;
  };
  return (event) => {
    if (event.type === 'notice') lastNotice = event.message;
    else if (event.type === 'looked') lastNotice = undefined;
    else if (event.type !== 'start' && event.type !== 'workspace-changed' && event.type !== 'workspace-removed') return;
    if (pending) return;
    pending = true;
    setImmediate(draw);
  };
}
