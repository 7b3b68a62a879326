import type { LogLine, LogSource } from '../../shared/workspace-log.js';
import { lineTime } from './log-time.js';

/**
 * Turns one source's output, in chunks as they arrive, into lines: a line
 * cut between two chunks waits for its end; `since` drops what was written
 * before (a line without a time of its own goes with the one before it).
 */
export class LogLineSplitter {
  #partial = '';
  #reached: boolean;

  constructor(
    readonly source: LogSource,
    readonly since?: Date,
  ) {
    this.#reached = since === undefined;
  }

  push(chunk: string): LogLine[] {
    const text = this.#partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.#partial = text;
      return [];
    }
    this.#partial = text.slice(end + 1);
    return this.#lines(text.slice(0, end).split('\n'));
  }

  /** What is left once the source has ended: a last line without a newline. */
  end(): LogLine[] {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? [] : this.#lines([rest]);
  }

  #lines(texts: string[]): LogLine[] {
    const lines: LogLine[] = [];
    for (const raw of texts) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const at = lineTime(text);
      if (!this.#reached) {
        // Logs are written in order: from the first line at or after `since` on, everything is newer.
        if (at === undefined || at.getTime() < this.since!.getTime()) continue;
        this.#reached = true;
      }
      lines.push(at ? { source: this.source, text, at: at.toISOString() } : { source: this.source, text });
    }
    return lines;
  }
}

/**
 * Several sources' lines as one log, oldest first. Each source keeps its own
 * order; a line without a time stays right after the line before it.
 */
export function mergeByTime(sources: readonly LogLine[][]): LogLine[] {
  const keyed = sources.flatMap((lines, sourceIndex) => {
    let last = Number.NEGATIVE_INFINITY;
    return lines.map((line, index) => {
      if (line.at !== undefined) last = Date.parse(line.at);
      return { line, time: last, sourceIndex, index };
    });
  });
  keyed.sort((a, b) => a.time - b.time || a.sourceIndex - b.sourceIndex || a.index - b.index);
  return keyed.map((entry) => entry.line);
}

/** How the CLI prints a line: the source in a column of its own, then the line as written. */
export function formatLogLine(line: LogLine): string {
  return `${line.source.padEnd(11)} ${line.text}`;
}

/** The launch log's line for a step's start, as the launch script's `run_step` writes it: "<time> porthole: step 3 of 7: name". */
const STEP_BEGINS = /^\S+ porthole: step (\d+) of \d+: /;

/** Which launch-script step a provision line begins, so a viewer can go to it; undefined for any other line. */
export function provisionStepOf(line: LogLine): number | undefined {
  if (line.source !== 'provision') return undefined;
  const match = STEP_BEGINS.exec(line.text);
  return match ? Number(match[1]) : undefined;
}
