import { gzipSync } from 'node:zlib';
import { PortholeError } from '../errors.js';

/** Lightsail refuses user data (the launch script) over 16 KB. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/**
 * The script as is when it fits, else gzip + base64 behind a small stub
 * that unpacks and runs it. The stub hands bash the script on a pipe of its
 * own, so steps that read stdin (apt, dpkg) cannot swallow the script.
 */
export function packUserData(script: string, limit = USER_DATA_LIMIT_BYTES): string {
  if (Buffer.byteLength(script) <= limit) return script;
  const packed = packedStub(script);
  if (Buffer.byteLength(packed) > limit) {
    throw new PortholeError('usage', `The launch script for these layers is ${Buffer.byteLength(script)} bytes, ${Buffer.byteLength(packed)} compressed; Lightsail allows ${limit}.`, {
      fix: 'Move large file contents into a dotfiles repository or a step that downloads them, or use fewer layers.',
    });
  }
  return packed;
}

export function packedStub(script: string): string {
  const payload = gzipSync(script, { level: 9 }).toString('base64').replace(/.{1,76}/g, '$&\n');
  return [
    '#!/bin/bash',
    `# Porthole launch script, compressed to fit Lightsail's ${USER_DATA_LIMIT_BYTES / 1024} KB of user data.`,
    'set -euo pipefail',
    "payload=$(cat <<'PORTHOLE_PACKED'",
    `${payload}PORTHOLE_PACKED`,
    ')',
    'exec bash <(base64 -d <<<"$payload" | gunzip)',
    '',
  ].join('\n');
}
