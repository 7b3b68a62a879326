import type { AccessMode } from '../../shared/workspace.js';

export interface LaunchScriptInput {
  /** The argon2id hash of the workspace password; the password itself never leaves the keychain. */
  passwordHash: string;
  accessMode: AccessMode;
  idleTimeoutMinutes: number;
}

/** Where the instance records how far its provisioning got; read back through the tunnel. */
export const PROGRESS_FILE = '/var/lib/porthole/progress';
export const CODE_SERVER_CONFIG = '/etc/porthole/code-server.yaml';

/**
 * The script Lightsail runs as root on first boot. It writes code-server's
 * configuration (password as a hash only) and the workspace's settings, and
 * records its progress. Quoting: every value is single-quoted YAML/shell, and
 * an argon2 PHC string holds no quote.
 */
export function launchScript({ passwordHash, accessMode, idleTimeoutMinutes }: LaunchScriptInput): string {
  if (passwordHash.includes("'")) throw new Error('A password hash never contains a quote; refusing to write this one into a script.');
  const bindAddr = accessMode === 'direct' ? '0.0.0.0:8443' : '127.0.0.1:8080';
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    "install -d -m 0755 /var/lib/porthole",
    "install -d -m 0700 /etc/porthole",
    `printf 'step 1 of 2 configure code-server running\\n' > ${PROGRESS_FILE}`,
    `cat > ${CODE_SERVER_CONFIG} <<'PORTHOLE_EOF'`,
    `bind-addr: ${bindAddr}`,
    'auth: password',
    `hashed-password: '${passwordHash}'`,
    `cert: ${accessMode === 'direct' ? 'true' : 'false'}`,
    'disable-telemetry: true',
    'disable-update-check: true',
    'PORTHOLE_EOF',
    `chmod 0600 ${CODE_SERVER_CONFIG}`,
    `printf '%s\\n' '${idleTimeoutMinutes}' > /etc/porthole/idle-timeout-minutes`,
    `printf 'step 2 of 2 done ok\\n' > ${PROGRESS_FILE}`,
    '',
  ].join('\n');
}
