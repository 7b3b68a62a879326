import type { AccessMode } from '../../shared/workspace.js';
import { CODE_SERVER_LOG_PATH } from '../logs/log-sources.js';
import { WORKSPACE_HOME, WORKSPACE_USER } from './layer.js';

export const CODE_SERVER_CONFIG_PATH = '/etc/porthole/code-server.yaml';
export const TLS_CERT_PATH = '/etc/porthole/tls/cert.pem';
export const TLS_KEY_PATH = '/etc/porthole/tls/key.pem';
export const CODE_SERVER_UNIT = 'porthole-code-server.service';
/** Tunnel mode: only the SSH tunnel reaches it, on the instance's loopback. */
export const TUNNEL_BIND = '127.0.0.1:8080';
export const DIRECT_BIND = '0.0.0.0:8443';

/**
 * A PHC string contains only [A-Za-z0-9$=,+/.-]; anything else could break
 * out of the YAML quoting, so it is refused rather than escaped.
 */
const PHC_PATTERN = /^\$argon2(id|i|d)\$v=\d+\$[a-z0-9=,]+\$[A-Za-z0-9+/.=-]+\$[A-Za-z0-9+/.=-]+$/;

export function assertPasswordHash(passwordHash: string): void {
  if (!PHC_PATTERN.test(passwordHash)) {
    throw new Error('The code-server password must be given as an argon2 PHC hash ($argon2id$v=19$...); refusing to write anything else into a launch script.');
  }
}

/** code-server's config.yaml: password as an argon2 hash only, no telemetry, no update checks. */
export function codeServerConfig(passwordHash: string, accessMode: AccessMode): string {
  assertPasswordHash(passwordHash);
  const listen =
    accessMode === 'direct'
      ? [`bind-addr: ${DIRECT_BIND}`, `cert: ${TLS_CERT_PATH}`, `cert-key: ${TLS_KEY_PATH}`]
      : [`bind-addr: ${TUNNEL_BIND}`, 'cert: false'];
  return [...listen, 'auth: password', `hashed-password: '${passwordHash}'`, 'disable-telemetry: true', 'disable-update-check: true', ''].join('\n');
}

export const CODE_SERVER_SERVICE_UNIT = `[Unit]
Description=code-server for the Porthole workspace
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${WORKSPACE_USER}
Group=${WORKSPACE_USER}
WorkingDirectory=${WORKSPACE_HOME}
EnvironmentFile=-/etc/porthole/environment
ExecStart=/usr/bin/code-server --config ${CODE_SERVER_CONFIG_PATH} --disable-workspace-trust ${WORKSPACE_HOME}/workspace
Restart=always
RestartSec=3
StandardOutput=append:${CODE_SERVER_LOG_PATH}
StandardError=inherit

[Install]
WantedBy=multi-user.target
`;
