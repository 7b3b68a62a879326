import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOG_READ_STARTED, logReadCommand, parseLineCount, parseLogSources } from './log-sources.js';

describe('logReadCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-log-sources-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (command: string, env: Record<string, string> = {}) => execFileSync('sh', ['-c', command], { encoding: 'utf8', env: { PATH: process.env.PATH!, PORTHOLE_STATE_DIR: dir, ...env } });

  it('prints the marker, then the last lines of the source from the state folder', () => {
    writeFileSync(join(dir, 'launch.log'), 'one\ntwo\nthree\n');
    expect(run(logReadCommand('provision', { follow: false, lines: 2 }))).toBe(`${LOG_READ_STARTED}\ntwo\nthree\n`);
    expect(run(logReadCommand('provision', { follow: false, lines: 'all' }))).toBe(`${LOG_READ_STARTED}\none\ntwo\nthree\n`);
    expect(run(logReadCommand('provision', { follow: false, since: new Date() }))).toBe(`${LOG_READ_STARTED}\none\ntwo\nthree\n`);
  });

  it('prints only the marker for a log that does not exist yet', () => {
    expect(run(logReadCommand('idle', { follow: false }))).toBe(`${LOG_READ_STARTED}\n`);
  });

  it('reads the system log from PORTHOLE_SYSLOG when it is set', () => {
    const syslog = join(dir, 'syslog');
    appendFileSync(syslog, 'sshd line\n');
    expect(run(logReadCommand('system', { follow: false }), { PORTHOLE_SYSLOG: syslog })).toBe(`${LOG_READ_STARTED}\nsshd line\n`);
  });

  it('asks the journal for the window when the box runs systemd', () => {
    const command = logReadCommand('system', { follow: true, since: new Date('2026-12-04T05:00:00Z') });
    expect(command).toContain('journalctl --no-pager -q -o short-iso --since @1796360400 -f');
  });
});

describe('parseLogSources and parseLineCount', () => {
  it('takes every source by default and the named ones otherwise, once each', () => {
    expect(parseLogSources(undefined)).toEqual(['provision', 'code-server', 'idle', 'system']);
    expect(parseLogSources('idle, provision,idle')).toEqual(['idle', 'provision']);
  });

  it('names what it does not know and what it does', () => {
    expect(() => parseLogSources('kernel,idle')).toThrow(/names no log Porthole knows \(kernel\).*provision, code-server, idle, system/s);
    expect(() => parseLineCount('-3')).toThrow(/--lines "-3" is not a number of lines/);
    expect(parseLineCount('all')).toBe('all');
    expect(parseLineCount('25')).toBe(25);
  });
});
