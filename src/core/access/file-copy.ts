import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, readdir, stat } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { PortholeError } from '../errors.js';
import type { InstanceAccessPoint } from './ssh-endpoint-resolver.js';
import { sshFailure, sshIdentityOptions, sshLoginOptions, writeSshLoginFiles, type SshLoginFiles } from './ssh-login-files.js';
import { type BoxAccessDependencies, freshAccess, hostAlias, type TunnelTarget } from './ssh-tunnel.js';

/** One side of a copy: a path here, or a path on a workspace (`demo:~/project`). */
export type CopyPlace = { kind: 'local'; path: string } | { kind: 'workspace'; workspace: string; path: string };

export type CopyTool = 'rsync' | 'scp';

/**
 * `NAME:PATH` is on a workspace, as scp writes it; anything else, or a colon
 * after a slash (`./a:b`), is here. An empty remote path is the home folder.
 */
export function parseCopyPlace(text: string): CopyPlace {
  const colon = text.indexOf(':');
  const slash = text.indexOf('/');
  if (colon <= 0 || (slash >= 0 && slash < colon)) return { kind: 'local', path: text };
  return { kind: 'workspace', workspace: text.slice(0, colon), path: text.slice(colon + 1) || '~' };
}

/** Exactly one side is a workspace: Porthole copies between here and there. */
export function copyDirection(from: CopyPlace, to: CopyPlace): { local: string; remote: { workspace: string; path: string }; upload: boolean } {
  if (from.kind === to.kind) {
    throw new PortholeError('usage', from.kind === 'local' ? 'Neither side of the copy is a workspace.' : 'Both sides of the copy are workspaces; Porthole copies between this computer and one workspace.', {
      fix: 'Write the workspace side as NAME:PATH, for example "porthole cp demo:~/project ./backup" or "porthole cp ./data demo:~/data".',
    });
  }
  return from.kind === 'workspace' ? { local: (to as { path: string }).path, remote: from, upload: false } : { local: from.path, remote: to as { workspace: string; path: string }, upload: true };
}

/** rsync where it is installed (it resumes and skips what is there), scp otherwise; PORTHOLE_COPY_TOOL or the caller may choose. */
export async function chooseCopyTool(asked: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<CopyTool> {
  const choice = asked ?? env.PORTHOLE_COPY_TOOL;
  if (choice !== undefined && choice !== 'rsync' && choice !== 'scp') {
    throw new PortholeError('usage', `"${choice}" is not a copy tool Porthole uses.`, { fix: 'Choose rsync or scp.' });
  }
  const hasRsync = await onPath('rsync', env);
  if (choice === 'rsync' && !hasRsync) throw new PortholeError('usage', 'rsync is not installed on this computer.', { fix: 'Install it ("sudo apt-get install rsync"), or copy with scp.' });
  return (choice as CopyTool | undefined) ?? (hasRsync ? 'rsync' : 'scp');
}

async function onPath(command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (await access(join(dir, command), constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

export interface CopyRequest {
  target: TunnelTarget;
  /** The path here. */
  local: string;
  /** The path on the workspace; `~` is its user's home. */
  remote: string;
  upload: boolean;
  tool: CopyTool;
  /** Let the tool draw its own progress bar on this terminal. */
  showProgress: boolean;
}

export interface CopySummary {
  tool: CopyTool;
  upload: boolean;
  /** Where the copy now is: on the workspace for an upload, here for a download. */
  copiedTo: string;
  files: number;
  bytes: number;
  seconds: number;
}

/**
 * Copies a file or folder between here and a workspace with scp or rsync
 * over ssh, a fresh Lightsail certificate and the pinned host keys (the key
 * files in a private folder, removed as soon as the copy ends). Both tools
 * do what scp -r does: to an existing folder the copy goes inside it,
 * otherwise it takes the destination's name.
 */
export async function copyFiles(deps: BoxAccessDependencies, request: CopyRequest): Promise<CopySummary> {
  const began = Date.now();
  if (request.upload) await lstat(request.local).catch(() => {
    throw new PortholeError('usage', `There is no file or folder at ${request.local} to copy.`, { fix: 'Check the path (relative paths start from this folder).' });
  });
  const { details, point } = await freshAccess(deps, request.target);
  const files = await writeSshLoginFiles(details, hostAlias(request.target));
  const user = point.sshUser ?? details.username;
  const fail = (code: number, stderr: string) =>
    code === 255 || /Permission denied \(|Host key verification failed|REMOTE HOST IDENTIFICATION/.test(stderr)
      ? sshFailure(request.target.workspace, stderr, details, deps.now?.() ?? new Date())
      : new PortholeError('service', `Copying ${request.upload ? 'to' : 'from'} ${request.target.workspace} failed: ${lastLine(stderr) ?? `${request.tool} exited with ${code}`}`, {
          fix: 'Check both paths (the workspace side as NAME:PATH), then try again; rsync copies only what is missing when run again.',
        });
  try {
    const remoteKind = await remotePathKind(files, point, user, request.remote, request.upload ? undefined : request.target.workspace, fail);
    const localIsDir = await stat(request.local).then((s) => s.isDirectory(), () => false);
    const copiedTo = request.upload
      ? remoteKind === 'dir' ? `${request.remote.replace(/\/+$/, '')}/${basename(request.local)}` : request.remote
      : localIsDir ? join(request.local, basename(request.remote)) : request.local;
    const onTool = { ...request, remote: homeRelative(request.remote) };
    const args = request.tool === 'rsync' ? rsyncArgs(files, point.ssh, user, onTool, remoteKind, localIsDir) : scpArgs(files, point.ssh, user, onTool);
    const run = await runTool(request.tool, args, request.showProgress);
    if (run.code !== 0) throw fail(run.code, run.stderr);
    const counted = await countTree(request.upload ? request.local : copiedTo);
    return { tool: request.tool, upload: request.upload, copiedTo, ...counted, seconds: (Date.now() - began) / 1000 };
  } finally {
    await files.remove();
  }
}

type RemoteKind = 'dir' | 'file' | 'none';

/** A remote path for sh: `~` and `~/` stay outside the quotes so the box's shell makes them the home folder. */
export function remoteShellPath(path: string): string {
  const home = /^~(\/|$)/.exec(path);
  const rest = home ? path.slice(home[0].length) : path;
  const quoted = rest === '' ? '' : `'${rest.replaceAll("'", `'\\''`)}'`;
  return home ? `"$HOME"/${quoted}` : quoted;
}

/** rsync and scp start in the user's home, where a relative path lands; neither expands ~ once rsync protects its arguments. */
export function homeRelative(path: string): string {
  return path === '~' || path === '~/' ? '.' : path.startsWith('~/') ? path.slice(2) : path;
}

/** One short ssh run: is the path on the box a folder, a file, or nothing; a download of nothing fails here, saying so. */
async function remotePathKind(
  files: SshLoginFiles,
  point: InstanceAccessPoint,
  user: string,
  path: string,
  mustExistOn: string | undefined,
  fail: (code: number, stderr: string) => PortholeError,
): Promise<RemoteKind> {
  const p = remoteShellPath(path);
  const run = await runTool('ssh', ['-T', ...sshLoginOptions(files, point, user), `if [ -d ${p} ]; then echo dir; elif [ -e ${p} ]; then echo file; else echo none; fi`], false);
  if (run.code !== 0) throw fail(run.code, run.stderr);
  const kind = run.stdout.trim() as RemoteKind;
  if (mustExistOn !== undefined && kind === 'none') {
    throw new PortholeError('usage', `There is no file or folder at ${path} on ${mustExistOn}.`, { fix: `Check the path with "porthole ssh ${mustExistOn} -- ls -la".` });
  }
  return kind;
}

function rsyncArgs(files: SshLoginFiles, ssh: { host: string; port: number }, user: string, request: CopyRequest, remoteKind: RemoteKind, localIsDir: boolean): string[] {
  const shell = ['ssh', ...sshIdentityOptions(files), '-p', String(ssh.port), '-l', user].map(rsyncShellWord).join(' ');
  const remote = (path: string) => `${ssh.host}:${path}`;
  // scp's rule, said in rsync's trailing slashes: into an existing folder, else as the destination itself.
  if (request.upload) {
    const into = remoteKind === 'dir';
    const source = localIsDir && !into ? `${request.local.replace(/\/+$/, '')}/` : request.local.replace(/\/+$/, '');
    return ['-a', '-s', ...(request.showProgress ? ['--info=progress2'] : []), '-e', shell, source, remote(into ? `${request.remote.replace(/\/+$/, '')}/` : request.remote)];
  }
  const source = remoteKind === 'dir' && !localIsDir ? `${request.remote.replace(/\/+$/, '')}/` : request.remote.replace(/\/+$/, '');
  return ['-a', '-s', ...(request.showProgress ? ['--info=progress2'] : []), '-e', shell, remote(source), localIsDir ? `${request.local.replace(/\/+$/, '')}/` : request.local];
}

function scpArgs(files: SshLoginFiles, ssh: { host: string; port: number }, user: string, request: CopyRequest): string[] {
  const remote = `${ssh.host}:${request.remote}`;
  return ['-r', '-p', ...(request.showProgress ? [] : ['-q']), ...sshIdentityOptions(files), '-P', String(ssh.port), '-o', `User=${user}`, ...(request.upload ? [request.local, remote] : [remote, request.local])];
}

/** rsync splits -e on spaces and honours single quotes. */
function rsyncShellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function runTool(command: string, args: string[], showProgress: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', showProgress ? 'inherit' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-16_384)));
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-16_384)));
    child.once('error', (error) => resolve({ code: 127, stdout, stderr: `${command}: ${error.message}` }));
    child.once('close', (code) => resolve({ code: code ?? 255, stdout, stderr }));
  });
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').filter(Boolean).at(-1);
}

/** Files and bytes under a path (a file counts as one). */
export async function countTree(path: string): Promise<{ files: number; bytes: number }> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return { files: 0, bytes: 0 };
  if (!info.isDirectory()) return { files: 1, bytes: info.size };
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(path)) {
    const inner = await countTree(join(path, entry));
    files += inner.files;
    bytes += inner.bytes;
  }
  return { files, bytes };
}
