/** The logs a workspace keeps: its provisioning, code-server, the idle agent, and the box's system log. */
export type LogSource = 'provision' | 'code-server' | 'idle' | 'system';

/** One line of a workspace's log, with the log it came from. */
export interface LogLine {
  source: LogSource;
  text: string;
  /** When it was written (ISO 8601), where the line says. */
  at?: string;
}
