/** The logs a workspace keeps: its provisioning, code-server, the idle agent, and the box's system log. */
export type LogSource = 'provision' | 'code-server' | 'idle' | 'system';

/** One line of a workspace's log, with the log it came from. */
export interface LogLine {
  source: LogSource;
  text: string;
  /** When it was written (ISO 8601), where the line says. */
  at?: string;
}

/** A line as the dashboard's log viewer gets it: for a provision line that begins a launch-script step, that step's number. */
export interface LogViewLine extends LogLine {
  step?: number;
}

/** Where the log viewer opens: a workspace's logs, one source alone, scrolled to a provisioning step's line. */
export interface LogViewTarget {
  name: string;
  region?: string;
  account?: string;
  source?: LogSource;
  step?: number;
}
