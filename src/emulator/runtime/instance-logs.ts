import type { ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A sandbox instance's logs, in its state folder under the names a real
 * instance uses in /var/lib/porthole (the launch log beside them is written
 * by the provision markers): what systemd appends for code-server and the
 * idle agent, and a syslog, which ssh sessions find as PORTHOLE_SYSLOG (a
 * real instance's is the journal). The emulator imports nothing from
 * Porthole's core, so the names are restated here and the logs suite checks
 * that `porthole logs` reads them.
 */
export function instanceLogFiles(stateDir: string): { codeServer: string; idle: string; syslog: string } {
  return { codeServer: join(stateDir, 'code-server.log'), idle: join(stateDir, 'idle.log'), syslog: join(stateDir, 'syslog') };
}

/** Appends everything a process prints to a log file, as `StandardOutput=append:` does. */
export function appendOutput(child: ChildProcess, file: string): void {
  const log = openLog(file);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('close', () => log.end());
}

/** Appends a daemon's lines the way syslog files them: time, host, `name[pid]: ` and the line. */
export function appendSyslog(child: ChildProcess, file: string, name: string): void {
  const log = openLog(file);
  const host = hostname();
  let partial = '';
  const write = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    const at = new Date().toISOString();
    if (lines.length > 0) log.write(lines.map((line) => `${at} ${host} ${name}[${child.pid ?? 0}]: ${line}\n`).join(''));
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  child.once('close', () => log.end());
}

/** A log that may outlive its folder: a deleted instance's folder goes while its daemons print their last lines, which nobody will read. */
function openLog(file: string): WriteStream {
  const log = createWriteStream(file, { flags: 'a', mode: 0o644 });
  log.on('error', () => log.destroy());
  return log;
}
