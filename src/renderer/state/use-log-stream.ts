import { useEffect, useRef, useState } from 'react';
import type { LogStreamRequest, PortholeApi } from '../../shared/contract';
import type { LogViewLine, LogViewTarget } from '../../shared/workspace-log';
import { describeFailure } from '../api/contract-call-error';
import { CONNECTION_LOST } from '../api/socket-api';

/** How far back the viewer reads: the last lines of each log, a time window, or everything. */
export type LogReach = 'recent' | '10m' | '1h' | '1d' | 'all';

export const LOG_REACHES: ReadonlyArray<[LogReach, string]> = [
  ['recent', 'Last 1,000 lines of each'],
  ['10m', 'Last 10 minutes'],
  ['1h', 'Last hour'],
  ['1d', 'Last day'],
  ['all', 'Everything'],
];

/** A line as the viewer keeps it: with its place in the stream, which stays the same while older lines are dropped. */
export interface ViewedLine extends LogViewLine {
  seq: number;
}

/** How soon a stream this page's connection dropped is opened again; calls wait for the reconnect. */
const RECONNECT_RETRY_MS = 1_000;

/**
 * Whether a stream that stopped with this failure is opened again without
 * the user: only after this page's own lost connection, which is not the
 * workspace's doing. A workspace that cannot be reached waits for Reopen,
 * rather than being asked for a login every second.
 */
export function reopensByItself(failure: { kind?: string }): boolean {
  return failure.kind === CONNECTION_LOST;
}

/** A long-running follow keeps at most this many lines; the oldest go first. */
export const MAX_VIEWED_LINES = 200_000;

export interface LogStreamState {
  /** Oldest first; the same array while lines are appended, so a render reads it without copying. */
  lines: ViewedLine[];
  /** Changes whenever lines arrive or go. */
  version: number;
  /** Why the stream stopped or would not open, in the core's words. */
  problem?: string;
  /** Open the stream again (after it stopped). */
  reopen(): void;
}

function reachOf(reach: LogReach): Pick<LogStreamRequest, 'since' | 'lines'> {
  if (reach === 'recent') return {};
  if (reach === 'all') return { lines: 'all' };
  return { since: reach };
}

/**
 * A workspace's logs followed from the core: a stream of this page's own,
 * opened for the target and reach and closed when either changes or the
 * viewer goes.
 */
export function useLogStream(api: PortholeApi, target: LogViewTarget, reach: LogReach): LogStreamState {
  const lines = useRef<ViewedLine[]>([]);
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  const { name, region, account } = target;

  useEffect(() => {
    const stream = `logs-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    let next = 0;
    lines.current = [];
    setProblem(undefined);
    setVersion((v) => v + 1);
    const stopLines = api.on('logLines', (event) => {
      if (event.stream !== stream) return;
      const kept = lines.current;
      for (const line of event.lines) kept.push({ ...line, seq: next++ });
      if (kept.length > MAX_VIEWED_LINES) kept.splice(0, kept.length - MAX_VIEWED_LINES);
      setVersion((v) => v + 1);
    });
    let reopening: ReturnType<typeof setTimeout> | undefined;
    const stopped = (failure: { kind?: string; message: string; fix?: string }) => {
      setProblem(`${failure.message}${failure.fix ? ` ${failure.fix}` : ''}`);
      if (reopensByItself(failure)) reopening = setTimeout(() => setAttempt((a) => a + 1), RECONNECT_RETRY_MS);
    };
    const stopEnded = api.on('logStreamEnded', (event) => {
      if (event.stream !== stream) return;
      stopped(event.error ?? { message: 'The logs stopped: the workspace is no longer running.' });
    });
    api.openLogStream({ stream, name, ...(region ? { region } : {}), ...(account ? { account } : {}), ...reachOf(reach) }).catch((error: unknown) => stopped(describeFailure(error)));
    return () => {
      clearTimeout(reopening);
      stopLines();
      stopEnded();
      void api.closeLogStream({ stream }).catch(() => undefined);
    };
  }, [api, name, region, account, reach, attempt]);

  return { lines: lines.current, version, ...(problem ? { problem } : {}), reopen: () => setAttempt((a) => a + 1) };
}
