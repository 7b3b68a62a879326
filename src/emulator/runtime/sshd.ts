import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type Spawned, spawnMarked } from './processes.js';

/** Where Debian's openssh-server puts it; the absolute path is required (sshd re-executes itself). */
const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd'];

export function findSshd(): string | undefined {
  return SSHD_CANDIDATES.find((path) => existsSync(path));
}

export const SSHD_MISSING =
  'no OpenSSH server (sshd) is installed on this machine, so sandbox instances cannot accept SSH. Install it with "sudo apt-get install openssh-server" (Debian/Ubuntu) or your system\'s openssh package; the service itself can stay disabled.';

export interface SshdSetup {
  sshd: string;
  dir: string;
  port: number;
  hostKeys: Array<{ algorithm: string; privateKeyPem: string }>;
  /** The `TrustedUserCAKeys` line: the emulator's own CA. */
  caPublicKeyLine: string;
  /** The principal certificates are issued for (the blueprint's user, e.g. ubuntu). */
  principal: string;
  /** Variables every session gets (sshd's SetEnv), such as where the instance keeps its state. */
  sessionEnv?: Record<string, string>;
}

/** The local account sandbox logins land in: the one the emulator runs as. */
export function localUser(): string {
  return userInfo().username;
}

/**
 * A private sshd for one instance: its own host keys (the ones
 * GetInstanceAccessDetails hands out), certificates from the emulator's CA
 * only, for the blueprint's principal mapped onto the local user, port
 * forwarding to loopback allowed and nothing else.
 */
export async function startSshd(setup: SshdSetup): Promise<Spawned> {
  const { dir } = setup;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hostKeyPaths: string[] = [];
  for (const [index, key] of setup.hostKeys.entries()) {
    const path = join(dir, `host-key-${index}-${key.algorithm}`);
    await writeFile(path, key.privateKeyPem, { mode: 0o600 });
    hostKeyPaths.push(path);
  }
  await writeFile(join(dir, 'trusted-ca.pub'), `${setup.caPublicKeyLine}\n`, { mode: 0o600 });
  // %u is the local user; every local login accepts exactly the blueprint's principal.
  await writeFile(join(dir, 'principals'), `${setup.principal}\n`, { mode: 0o600 });
  const root = process.getuid?.() === 0;
  // sshd running as root wants its privilege-separation folder; Debian makes it only when the service starts.
  if (root) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const config = [
    `Port ${setup.port}`,
    'ListenAddress 127.0.0.1',
    ...hostKeyPaths.map((path) => `HostKey ${path}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    `TrustedUserCAKeys ${join(dir, 'trusted-ca.pub')}`,
    `AuthorizedPrincipalsFile ${join(dir, 'principals')}`,
    'AuthorizedKeysFile none',
    `AllowUsers ${localUser()}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The files are the emulator's own, in its state folder; their parents need not satisfy sshd's ownership rules.
    'StrictModes no',
    'AllowTcpForwarding local',
    'GatewayPorts no',
    'X11Forwarding no',
    'PermitTunnel no',
    // scp speaks SFTP, as a real instance's sshd serves it.
    'Subsystem sftp internal-sftp',
    // sshd keeps the first SetEnv line it reads, so every variable goes on one.
    setup.sessionEnv ? `SetEnv ${Object.entries(setup.sessionEnv).map(([name, value]) => `"${name}=${value.replaceAll('"', '')}"`).join(' ')}` : '',
    root ? 'PermitRootLogin prohibit-password' : '',
    'LogLevel VERBOSE',
    '',
  ].filter((line, index, all) => line !== '' || index === all.length - 1);
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, config.join('\n'), { mode: 0o600 });
  return spawnMarked(setup.sshd, ['-D', '-e', '-f', configPath], { dir });
}
