import { join } from 'node:path';
import type { Workspace } from '../../shared/workspace.js';

/** Where `porthole ssh-config` keeps its Host entries and each workspace's login files: ~/.ssh/porthole. */
export function portholeSshDir(home: string): string {
  return join(home, '.ssh', 'porthole');
}

/** The Host names a config written by `porthole ssh-config` defines. */
export function configuredHosts(configText: string): Set<string> {
  return new Set([...configText.matchAll(/^Host\s+(\S+)\s*$/gm)].map((m) => m[1]!));
}

/** The login name Lightsail's blueprints use (the principal in its certificates). */
export function blueprintUser(blueprintId: string): string {
  if (blueprintId.startsWith('debian')) return 'admin';
  if (blueprintId.startsWith('amazon_linux')) return 'ec2-user';
  if (blueprintId.startsWith('centos')) return 'centos';
  return 'ubuntu';
}

export interface SshConfigOptions {
  /** The command that runs Porthole, already quoted for a shell (node and the porthole script). */
  porthole: string;
  /** Where each workspace's fresh key, certificate and known_hosts are written, e.g. ~/.ssh/porthole. */
  dir: string;
  /** The login name that overrides the blueprint's (the sandbox maps logins onto the local user). */
  userOverride?: string;
}

/** `porthole-NAME`, or `porthole-NAME.REGION` for a name used in several regions. */
export function sshHostName(workspace: Workspace, all: readonly Workspace[]): string {
  const clash = all.filter((w) => w.name === workspace.name).length > 1;
  return clash ? `porthole-${workspace.name}.${workspace.region}` : `porthole-${workspace.name}`;
}

/**
 * One Host entry per workspace. The `Match exec` line runs while ssh reads
 * its configuration, before it loads identities: that is when Porthole
 * fetches the fresh certificate. The ProxyCommand then connects ssh to the
 * instance; host keys come only from Lightsail's answer.
 */
export function sshConfigText(workspaces: readonly Workspace[], options: SshConfigOptions): string {
  const blocks = workspaces.map((w) => {
    const host = sshHostName(w, workspaces);
    const files = `${options.dir}/${w.region}-${w.name}`;
    const args = `${w.name} --region ${w.region}`;
    return [
      `Host ${host}`,
      `  HostName ${w.publicIp ?? host}`,
      `  User ${options.userOverride ?? blueprintUser(w.blueprintId)}`,
      `  ProxyCommand ${options.porthole} ssh-proxy ${args}`,
      `  IdentityFile "${files}/key"`,
      `  CertificateFile "${files}/key-cert.pub"`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile "${files}/known_hosts"`,
      `  HostKeyAlias porthole-${w.region}-${w.name}`,
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      `Match originalhost ${host} exec "${options.porthole.replaceAll('"', '\\"')} ssh-proxy ${args} --prepare"`,
      '',
    ].join('\n');
  });
  return ['# Written by "porthole ssh-config": run it again after creating or deleting workspaces.', '', ...blocks].join('\n');
}

/** ~/.ssh/config with one Include line for Porthole's file at the top (before any Host, where it applies to all); unchanged when it is there. */
export function withInclude(existing: string, includePath: string): string {
  const line = `Include "${includePath}"`;
  if (existing.split('\n').some((l) => l.trim() === line)) return existing;
  return `${line}\n${existing.length > 0 && !existing.startsWith('\n') ? '\n' : ''}${existing}`;
}
