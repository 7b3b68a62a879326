import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { arch, release, tmpdir, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import type { Workspace } from '../../shared/workspace.js';
import type { LogLine, LogSource } from '../../shared/workspace-log.js';
import type { HistoryEntry } from '../app/event-history.js';
import { PortholeError } from '../errors.js';
import { LOG_SOURCES } from '../logs/log-sources.js';
import { redact } from './redaction.js';

/** What an exported diagnostics archive holds, gathered before it is written. */
export interface DiagnosticsContent {
  workspace: Workspace;
  /** The engine's recent events about the workspace. */
  history: HistoryEntry[];
  /** The box's logs, or why they could not be read (the instance is stopped, say). */
  logs: LogLine[] | { unavailable: string };
  versions: Record<string, string>;
  /** Values to remove wherever they appear: the workspace's password. */
  secrets: readonly string[];
}

/** The versions of this side: Porthole (given by the caller, who knows where it runs from), Node, the OS and the OpenSSH client. */
export async function localVersions(porthole: string): Promise<Record<string, string>> {
  const ssh = await new Promise<string>((done) => execFile('ssh', ['-V'], { encoding: 'utf8', timeout: 5_000 }, (error, stdout, stderr) => done(error ? 'not found' : `${stdout}${stderr}`.trim())));
  return { porthole, node: process.version, os: `${osType()} ${release()} ${arch()}`, ssh };
}

/** One sh command that prints the box's versions as `key=value` lines. */
export const BOX_VERSIONS_COMMAND = [
  'echo "box-kernel=$(uname -srm)"',
  '[ -r /etc/os-release ] && . /etc/os-release && echo "box-os=$PRETTY_NAME"',
  'command -v code-server >/dev/null 2>&1 && echo "code-server=$(code-server --version 2>/dev/null | head -n 1)"',
  'echo "box-ssh=$(ssh -V 2>&1)"',
  'true',
].join('; ');

/** The `key=value` lines as versions; code-server's, when not on the PATH (the sandbox), from the first line its log writes. */
export function parseBoxVersions(output: string, logs: LogLine[] | { unavailable: string }): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(eq + 1).trim() !== '') versions[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  if (versions['code-server'] === undefined && Array.isArray(logs)) {
    const started = logs.findLast((line) => line.source === 'code-server' && /info\s+code-server \d+\.\d+\.\d+/.test(line.text));
    if (started) versions['code-server'] = /code-server (\d+\.\d+\.\d+\S*(?: \S+)?)/.exec(started.text)![1]!;
  }
  return versions;
}

/**
 * Writes one .tar.gz with a folder inside: workspace.json, events.ndjson,
 * logs/<source>.log, versions.json. Every file goes through the redaction
 * first, so no password, hash, key, certificate or token reaches the
 * archive. The files are staged in a private temporary folder, removed after.
 */
export async function writeDiagnosticsArchive(content: DiagnosticsContent, outFile: string, now: Date = new Date()): Promise<{ path: string; files: string[] }> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const folder = `porthole-diagnostics-${content.workspace.name}-${stamp}`;
  const staging = await mkdtemp(join(tmpdir(), 'porthole-diagnostics-'));
  const root = join(staging, folder);
  const files: Record<string, string> = {
    'workspace.json': `${JSON.stringify(content.workspace, null, 2)}\n`,
    'events.ndjson': content.history.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
    'versions.json': `${JSON.stringify(content.versions, null, 2)}\n`,
    ...logFiles(content.logs),
  };
  try {
    await mkdir(join(root, 'logs'), { recursive: true, mode: 0o700 });
    for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), redact(text, content.secrets), { mode: 0o600 });
    const path = resolve(outFile);
    await new Promise<void>((done, fail) =>
      execFile('tar', ['-czf', path, '-C', staging, folder], (error, _stdout, stderr) =>
        error ? fail(new PortholeError('usage', `Could not write the diagnostics archive ${path}: ${String(stderr).trim() || error.message}`, { fix: 'Check that the folder exists and is writable, and that tar is installed.' })) : done(),
      ),
    );
    return { path, files: Object.keys(files).map((name) => `${folder}/${name}`) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function logFiles(logs: LogLine[] | { unavailable: string }): Record<string, string> {
  if (!Array.isArray(logs)) return { 'logs/unavailable.txt': `${logs.unavailable}\n` };
  const bySource = new Map<LogSource, string[]>(LOG_SOURCES.map((source) => [source, []]));
  for (const line of logs) bySource.get(line.source)!.push(line.text);
  return Object.fromEntries([...bySource].map(([source, lines]) => [`logs/${source}.log`, lines.map((line) => `${line}\n`).join('')]));
}
