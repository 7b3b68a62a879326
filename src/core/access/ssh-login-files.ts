import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessDetails } from '../cloud/model.js';
import { PortholeError } from '../errors.js';
import { certificateValidity } from './certificate-validity.js';
import type { InstanceAccessPoint } from './ssh-endpoint-resolver.js';

/** The files one ssh run needs: the temporary key, its certificate and the instance's known host keys. */
export interface SshLoginFiles {
  dir: string;
  key: string;
  certificate: string;
  knownHosts: string;
  /** The name host keys are filed under, so they hold whatever address the instance has today. */
  hostAlias: string;
  remove(): Promise<void>;
}

/**
 * Writes a fresh Lightsail login into a private folder (0700, files 0600):
 * nothing of it goes on a command line, and the folder is removed as soon
 * as ssh has used it.
 */
export async function writeSshLoginFiles(details: AccessDetails, hostAlias: string): Promise<SshLoginFiles> {
  if (details.hostKeys.length === 0) {
    throw new PortholeError('access-denied', `Lightsail returned no host keys for "${details.instanceName}", so its identity cannot be checked; refusing to connect.`, {
      fix: 'Wait a minute after the instance starts (it reports its keys once booted), then try again.',
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'porthole-ssh-'));
  const files: SshLoginFiles = {
    dir,
    key: join(dir, 'key'),
    certificate: join(dir, 'key-cert.pub'),
    knownHosts: join(dir, 'known_hosts'),
    hostAlias,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  try {
    await writeFile(files.key, details.privateKey.endsWith('\n') ? details.privateKey : `${details.privateKey}\n`, { mode: 0o600 });
    await writeFile(files.certificate, `${certificateLine(details.certificate)}\n`, { mode: 0o600 });
    const lines = details.hostKeys.map((key) => `${hostAlias} ${key.algorithm} ${key.publicKey}`);
    await writeFile(files.knownHosts, `${lines.join('\n')}\n`, { mode: 0o600 });
  } catch (error) {
    await files.remove();
    throw error;
  }
  return files;
}

/** Lightsail's certKey is sometimes the bare base64 blob; ssh wants `type blob`. */
function certificateLine(cert: string): string {
  const trimmed = cert.trim();
  return /^[a-z0-9-]+-cert-v01@openssh\.com /.test(trimmed) ? trimmed : `ssh-rsa-cert-v01@openssh.com ${trimmed}`;
}

/**
 * The ssh options every Porthole connection uses: no user config, no agent,
 * only the given key and certificate, host keys only from Lightsail's answer.
 */
export function sshLoginOptions(files: SshLoginFiles, point: InstanceAccessPoint, username: string): string[] {
  return [...sshIdentityOptions(files), '-p', String(point.ssh.port), '-l', point.sshUser ?? username, point.ssh.host];
}

/** The same options without where to connect, for the programs that run ssh themselves (scp, rsync -e). */
export function sshIdentityOptions(files: SshLoginFiles): string[] {
  return [
    '-F', '/dev/null',
    '-o', 'IdentityAgent=none',
    '-o', 'IdentitiesOnly=yes',
    '-i', files.key,
    '-o', `CertificateFile=${files.certificate}`,
    '-o', `UserKnownHostsFile=${files.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', `HostKeyAlias=${files.hostAlias}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'UpdateHostKeys=no',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=15',
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=3',
  ];
}

const HOST_KEY_FAILURE = /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|No [A-Z0-9-]+ host key is known/i;
const AUTH_FAILURE = /Permission denied \(/;

/**
 * What ssh's stderr means for the user. A changed host key is never worked
 * around; a refused login with an expired certificate says so.
 */
export function sshFailure(workspace: string, stderr: string, details: AccessDetails, now: Date): PortholeError {
  if (HOST_KEY_FAILURE.test(stderr)) {
    return new PortholeError(
      'access-denied',
      `The host key of ${workspace} does not match what Lightsail reports; refusing to connect. Someone may be intercepting the connection, or the address now belongs to another server.`,
      { fix: `Check the instance in the Lightsail console; if it was rebuilt, run "porthole refresh" and try again.` },
    );
  }
  const validBefore = certificateValidity(details.certificate)?.validBefore ?? details.expiresAt;
  if (AUTH_FAILURE.test(stderr) && validBefore && validBefore.getTime() <= now.getTime()) return expiredCertificate(workspace, validBefore);
  if (AUTH_FAILURE.test(stderr)) {
    return new PortholeError('access-denied', `The SSH server of ${workspace} refused the Lightsail certificate.`, {
      fix: 'Check that the instance was made by Porthole from a Lightsail blueprint (its sshd must trust the Lightsail CA), then try again.',
    });
  }
  const lastLine = stderr.trim().split('\n').filter(Boolean).at(-1) ?? 'ssh ended without a message';
  return new PortholeError('network', `Could not open an SSH connection to ${workspace}: ${lastLine}`, {
    fix: `Check that the workspace is ready and that your IP is allowed in its firewall ("porthole firewall ${workspace}" lists who may connect), then try again.`,
  });
}

export function expiredCertificate(workspace: string, expiresAt: Date): PortholeError {
  return new PortholeError('credentials', `The SSH certificate for ${workspace} expired at ${expiresAt.toISOString()}; the server refuses expired certificates.`, {
    fix: "Check that this computer's clock is right, then try again: each connection asks Lightsail for a fresh certificate.",
  });
}
