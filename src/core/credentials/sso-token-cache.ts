import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The SSO token cache exactly as the AWS CLI v2 keeps it, so a sign-in done by
 * Porthole serves `aws` too and the other way round: one JSON file per
 * sso-session (sha1 of its name) or legacy start URL (sha1 of the URL) in
 * ~/.aws/sso/cache, readable by its owner only.
 */
export interface SsoCachedToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** ISO UTC without milliseconds, e.g. 2026-11-29T01:00:00Z. */
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

export function ssoCacheKey(settings: { session?: string; startUrl: string }): string {
  return createHash('sha1')
    .update(settings.session ?? settings.startUrl)
    .digest('hex');
}

export function ssoCachePath(settings: { session?: string; startUrl: string }, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME ?? homedir(), '.aws', 'sso', 'cache', `${ssoCacheKey(settings)}.json`);
}

export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function readSsoCache(path: string): Promise<SsoCachedToken | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SsoCachedToken;
  } catch {
    // Missing or unreadable cache: sign in afresh, as the CLI does.
    return undefined;
  }
}

export async function writeSsoCache(path: string, token: SsoCachedToken): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(token), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
