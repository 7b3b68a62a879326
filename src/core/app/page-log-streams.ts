import type { LogStreamRequest } from '../../shared/contract.js';
import type { LogViewLine } from '../../shared/workspace-log.js';
import { boxTarget } from '../access/box-target.js';
import { redact } from '../diagnostics/redaction.js';
import { PortholeError } from '../errors.js';
import { provisionStepOf } from '../logs/log-lines.js';
import { LOG_SOURCES, parseLogSources } from '../logs/log-sources.js';
import { streamLogs, type LogStream } from '../logs/log-stream.js';
import { parseDuration } from '../logs/log-time.js';
import { KeychainPasswords } from '../workspaces/keychain-passwords.js';
import { FieldError, toContractError } from './contract-error.js';
import type { DashboardContext } from './dashboard-context.js';
import type { AnyEventListener } from './event-hub.js';

/** Enough for a viewer per workspace a user could follow at once; each is an ssh run per log on the box. */
export const MAX_STREAMS_PER_PAGE = 8;
/** The viewer's default reach back: more than the CLI's 200, since it scrolls. */
export const DEFAULT_VIEW_LINES = 1_000;
/** Lines are gathered this long before they go to the page, so a fast log is a few messages a second, not one per chunk. */
const FLUSH_MS = 50;
/** No single message larger than this many lines: a page parses each at once. */
const BATCH_LINES = 5_000;
const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface OpenStream {
  closed: boolean;
  stream?: LogStream;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The log streams one page (a browser tab, the app's dashboard window) has
 * open: each reads a workspace's logs over SSH as `porthole logs --follow`
 * does and sends its lines to that page alone, in batches, with the
 * workspace's password and anything shaped like a secret redacted. The page names
 * each stream, so it listens before the first line can come; they all stop
 * when the page goes.
 */
export class PageLogStreams {
  readonly #streams = new Map<string, OpenStream>();
  readonly #context: DashboardContext;
  readonly #send: AnyEventListener;

  constructor(context: DashboardContext, send: AnyEventListener) {
    this.#context = context;
    this.#send = send;
  }

  async open(request: LogStreamRequest): Promise<{ stream: string }> {
    const id = request.stream;
    if (typeof id !== 'string' || !STREAM_ID.test(id)) {
      throw new PortholeError('usage', `"${String(id).slice(0, 80)}" is not a log stream name.`, { fix: 'Name it with 1 to 64 letters, digits, - or _.' });
    }
    if (this.#streams.has(id)) throw new PortholeError('usage', `This page already has a log stream "${id}".`, { fix: 'Give each stream its own name.' });
    if (this.#streams.size >= MAX_STREAMS_PER_PAGE) {
      throw new PortholeError('usage', `This page already follows ${MAX_STREAMS_PER_PAGE} logs.`, { fix: 'Close a log viewer, then open this one again.' });
    }
    const read = readOf(request);
    const session = this.#context.session(request.account);
    const workspace = session.engine.get(request.name, request.region);
    const target = boxTarget(workspace, 'reading its logs');
    // A careless step may print the password into a log; like an exported archive, the page gets it redacted.
    const password = await new KeychainPasswords(this.#context.options.secrets).get({ account: session.name, region: workspace.region, name: workspace.name }).catch(() => undefined);
    const secrets = password ? [password] : [];
    if (this.#streams.has(id)) throw new PortholeError('usage', `This page already has a log stream "${id}".`, { fix: 'Give each stream its own name.' });
    const open: OpenStream = { closed: false };
    this.#streams.set(id, open);
    const pending: LogViewLine[] = [];
    const flush = () => {
      open.timer = undefined;
      while (pending.length > 0 && !open.closed) this.#send('logLines', { stream: id, lines: pending.splice(0, BATCH_LINES) });
    };
    const deps = { gateway: session.opened.gateway, resolver: session.opened.boxResolver, firewall: session.opened.firewall };
    try {
      open.stream = await streamLogs(deps, target, { ...read, follow: true }, (lines) => {
        for (const line of lines) {
          const step = provisionStepOf(line);
          const text = redact(line.text, secrets);
          pending.push({ ...line, text, ...(step === undefined ? {} : { step }) });
        }
        open.timer ??= setTimeout(flush, FLUSH_MS);
      });
    } catch (error) {
      this.#streams.delete(id);
      throw error;
    }
    // Closed while ssh was logging in: stop at once, no line was sent.
    if (open.closed) await open.stream.stop();
    else {
      open.stream.done.then(
        () => this.#ended(id, open, flush),
        (error: unknown) => this.#ended(id, open, flush, error),
      );
    }
    return { stream: id };
  }

  /** Stops a stream of this page; false when it has none of that name (it ended already). */
  async close(id: string): Promise<boolean> {
    const open = this.#streams.get(id);
    if (!open) return false;
    this.#streams.delete(id);
    open.closed = true;
    clearTimeout(open.timer);
    await open.stream?.stop();
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#streams.keys()].map((id) => this.close(id)));
  }

  #ended(id: string, open: OpenStream, flush: () => void, error?: unknown): void {
    if (open.closed) return;
    clearTimeout(open.timer);
    flush();
    this.#streams.delete(id);
    open.closed = true;
    this.#send('logStreamEnded', { stream: id, ...(error !== undefined ? { error: toContractError(error) } : {}) });
  }
}

/** Which logs, and how far back: the request checked as `porthole logs` checks its options, each problem on its field. */
function readOf(request: LogStreamRequest): { sources: ReturnType<typeof parseLogSources>; lines: number | 'all'; since?: Date } {
  let sources: ReturnType<typeof parseLogSources>;
  try {
    sources = request.sources && request.sources.length > 0 ? parseLogSources(request.sources.join(',')) : [...LOG_SOURCES];
  } catch (error) {
    throw new FieldError('sources', error);
  }
  const lines = request.lines ?? DEFAULT_VIEW_LINES;
  if (lines !== 'all' && (!Number.isInteger(lines) || lines < 0)) {
    throw new FieldError('lines', new PortholeError('usage', `${String(lines)} is not a number of lines.`, { fix: 'Ask for a whole number of lines, or all.' }));
  }
  if (request.since === undefined) return { sources, lines };
  try {
    return { sources, lines, since: new Date(Date.now() - parseDuration(request.since)) };
  } catch (error) {
    throw new FieldError('since', error);
  }
}
