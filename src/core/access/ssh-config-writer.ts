import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Workspace } from '../../shared/workspace.js';
import { configuredHosts, portholeSshDir, sshConfigText, sshHostName, withInclude } from './ssh-config-file.js';

export interface SshConfigWriteOptions {
  home: string;
  /** The workspaces the file defines hosts for: the active account's. */
  workspaces: readonly Workspace[];
  /** How ssh runs Porthole: the app's launcher, or node and bin/porthole.js; quoted here. */
  command: readonly string[];
  /** The login name that overrides the blueprint's (the sandbox maps logins onto the local user). */
  userOverride?: string;
}

export interface SshConfigWritten {
  /** ~/.ssh/porthole/config */
  configPath: string;
  /** ~/.ssh/config */
  mainConfig: string;
  hosts: string[];
  /** Whether ~/.ssh/config got its Include line now (false: it had it). */
  includeAdded: boolean;
}

/**
 * Writes ~/.ssh/porthole/config (a Host entry per workspace) and the one
 * Include line in ~/.ssh/config, creating ~/.ssh (0700) when it is missing:
 * what `porthole ssh-config` and the app's Open in VS Code both do.
 */
export async function writeSshConfig(options: SshConfigWriteOptions): Promise<SshConfigWritten> {
  const dir = portholeSshDir(options.home);
  const sshDir = dirname(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(sshDir, 0o700);
  const configPath = join(dir, 'config');
  const porthole = options.command.map(shellQuote).join(' ');
  await writeFile(configPath, sshConfigText(options.workspaces, { porthole, dir, ...(options.userOverride ? { userOverride: options.userOverride } : {}) }), { mode: 0o600 });
  const mainConfig = join(sshDir, 'config');
  const existing = await readFile(mainConfig, 'utf8').catch(() => '');
  const next = withInclude(existing, configPath);
  if (next !== existing) await writeFile(mainConfig, next, { mode: 0o600 });
  return { configPath, mainConfig, hosts: options.workspaces.map((w) => sshHostName(w, options.workspaces)), includeAdded: next !== existing };
}

/** The workspace's Host in Porthole's ssh config, written first (with every workspace's) when it has none. */
export async function ensureSshHost(options: SshConfigWriteOptions & { workspace: Workspace }): Promise<{ host: string; written: boolean }> {
  const host = sshHostName(options.workspace, options.workspaces);
  const existing = await readFile(join(portholeSshDir(options.home), 'config'), 'utf8').catch(() => '');
  const included = (await readFile(join(options.home, '.ssh', 'config'), 'utf8').catch(() => '')).includes(join(portholeSshDir(options.home), 'config'));
  if (configuredHosts(existing).has(host) && included) return { host, written: false };
  await writeSshConfig(options);
  return { host, written: true };
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
