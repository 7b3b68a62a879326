import { spawn } from 'node:child_process';
import { CODE_SERVER_CONFIG_PATH, CODE_SERVER_UNIT } from '../provision/code-server-config.js';
import { WORKSPACE_USER } from '../provision/layer.js';
import { PortholeError } from '../errors.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from './ssh-login-files.js';
import { type BoxAccessDependencies, freshAccess, hostAlias, type TunnelTarget } from './ssh-tunnel.js';

export interface PasswordResetPlace {
  configPath: string;
  group: string;
  /** The shell command that makes code-server read its config again. */
  restart: string;
}

/** Where the launch script puts code-server's config on an instance, and how it runs it. */
export const INSTANCE_CODE_SERVER: PasswordResetPlace = {
  configPath: CODE_SERVER_CONFIG_PATH,
  group: WORKSPACE_USER,
  restart: `systemctl restart ${CODE_SERVER_UNIT}`,
};

/**
 * A script for `sh -s` on the instance, fed over the SSH session's stdin:
 * the new argon2 hash (itself enough to forge a session cookie) travels
 * inside it, so it is on no command line here or there. The config is
 * replaced in one rename, then code-server restarted.
 */
export function passwordResetScript(passwordHash: string, place: PasswordResetPlace = INSTANCE_CODE_SERVER): string {
  if (!/^\$argon2(id|i|d)\$[A-Za-z0-9$=,+/.-]+$/.test(passwordHash)) throw new PortholeError('internal', 'The new password hash is not an argon2 PHC string.');
  return [
    'set -eu',
    'umask 077',
    `config='${place.configPath}'`,
    '[ -f "$config" ] || { echo "porthole: $config is missing; this instance was not set up by Porthole" >&2; exit 3; }',
    `PORTHOLE_HASH='${passwordHash}'`,
    'export PORTHOLE_HASH',
    'next="$config.porthole-new"',
    `awk '/^hashed-password:/ { print "hashed-password: \\x27" ENVIRON["PORTHOLE_HASH"] "\\x27"; found = 1; next } { print } END { if (!found) print "hashed-password: \\x27" ENVIRON["PORTHOLE_HASH"] "\\x27" }' "$config" >"$next"`,
    `chown root:${place.group} "$next" 2>/dev/null || true`,
    'chmod 0640 "$next"',
    'mv "$next" "$config"',
    place.restart,
    '',
  ].join('\n');
}

/**
 * Writes the new hash into the instance's code-server config over SSH (a
 * fresh certificate, pinned host keys) and restarts code-server. Nothing
 * is written to the keychain here: the caller does that only once this
 * succeeded, so a failure leaves the old password working.
 */
export async function setInstancePassword(deps: BoxAccessDependencies, target: TunnelTarget, passwordHash: string): Promise<void> {
  const script = passwordResetScript(passwordHash);
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  try {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn('ssh', [...sshLoginOptions(files, point, details.username), 'sudo', '-n', 'sh', '-s'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8_192)));
      child.once('error', (error) => resolve({ code: 255, stderr: error.message }));
      child.once('close', (code) => resolve({ code: code ?? 255, stderr }));
      child.stdin.end(script);
    });
    if (run.code === 255) throw sshFailure(target.workspace, run.stderr, details, new Date());
    if (run.code !== 0) {
      throw new PortholeError('service', `Could not set the new password on ${target.workspace}: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.code}`}`, {
        fix: 'The old password still works. Check that the instance was made by Porthole and is ready, then try again.',
      });
    }
  } finally {
    await files.remove();
  }
}
