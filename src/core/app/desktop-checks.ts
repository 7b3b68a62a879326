import { spawnSync } from 'node:child_process';
import { fromIni } from '@aws-sdk/credential-providers';
import { credentialsError } from '../credentials/account-identity.js';
import { discoverAwsProfiles, sharedConfigPaths } from '../credentials/aws-profiles.js';
import type { SecretStore } from '../secrets/secret-store.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `porthole doctor`'s desktop checklist: what was found and, when it is wrong, how to fix it. */
export interface DesktopCheck {
  name: 'keychain' | 'ssh' | 'code-server' | 'clock' | 'aws-profiles';
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/**
 * Porthole logs in with a short-lived RSA user certificate (`CertificateFile`,
 * `IdentityAgent=none`) signed with rsa-sha2; OpenSSH 8.0 is the oldest
 * client that does all of it with the options Porthole passes.
 */
export const MIN_OPENSSH: readonly [number, number] = [8, 0];
/** Certificates are valid for minutes; a clock further off than this makes them look expired or not yet valid. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const KEYCHAIN_TIMEOUT_MS = 10_000;

/** `OpenSSH_9.2p1 Debian-2, OpenSSL 3.0.11` → [9, 2]. */
export function parseOpenSshVersion(text: string): [number, number] | undefined {
  const match = /OpenSSH_(?:for_Windows_)?(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export function checkSshVersion(output: string | undefined): DesktopCheck {
  const fix = 'Install OpenSSH 8.0 or later (Debian/Ubuntu: "sudo apt-get install openssh-client"; macOS ships one; Windows: the OpenSSH Client optional feature).';
  if (output === undefined) return { name: 'ssh', status: 'fail', detail: 'no ssh command on the PATH; Porthole opens every workspace through it', fix };
  const version = parseOpenSshVersion(output);
  if (!version) return { name: 'ssh', status: 'fail', detail: `ssh is not OpenSSH (it says "${output.trim().split('\n')[0]}")`, fix };
  const [major, minor] = version;
  const found = `OpenSSH ${major}.${minor}`;
  if (major < MIN_OPENSSH[0] || (major === MIN_OPENSSH[0] && minor < MIN_OPENSSH[1])) {
    return { name: 'ssh', status: 'fail', detail: `${found} is too old for Lightsail's SSH certificates (8.0 or later)`, fix };
  }
  return { name: 'ssh', status: 'ok', detail: `${found} (certificates need 8.0 or later)` };
}

/** `ssh -V` prints its version on stderr; undefined when there is no ssh to run. */
export function sshVersionOutput(): string | undefined {
  const run = spawnSync('ssh', ['-V'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error) return undefined;
  return `${run.stderr}${run.stdout}`;
}

export function checkClock(serverDate: string | undefined, localNow: number, against: string): DesktopCheck {
  const fix = 'Turn on automatic time (NTP) in your system settings, e.g. "sudo timedatectl set-ntp true".';
  const server = serverDate ? Date.parse(serverDate) : NaN;
  if (Number.isNaN(server)) {
    return { name: 'clock', status: 'warn', detail: `could not read the time from ${against}, so the clock was not compared` };
  }
  // The Date header has whole seconds: up to a second of the difference is its rounding.
  const skew = localNow - server;
  const seconds = Math.round(Math.abs(skew) / 1000);
  const direction = skew > 0 ? 'ahead of' : 'behind';
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    return { name: 'clock', status: 'fail', detail: `this computer's clock is ${seconds} s ${direction} ${against}; SSH certificates need it within 5 minutes`, fix };
  }
  return { name: 'clock', status: 'ok', detail: `within ${seconds} s of ${against}` };
}

/** The time an HTTP endpoint says it is (its `Date` header); undefined when it cannot be asked. */
export async function endpointDate(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return response.headers.get('date') ?? undefined;
  } catch {
    return undefined;
  }
}

/** The keychain answers a listing in time (a missing or locked Secret Service hangs on D-Bus instead). */
export async function checkKeychain(secrets: SecretStore): Promise<DesktopCheck> {
  const fix =
    'Start and unlock your keychain: on Linux a Secret Service (gnome-keyring or KWallet) in your session; headless, ' +
    '"dbus-run-session -- sh -c \'printf PASSWORD | gnome-keyring-daemon --unlock --components=secrets; porthole ...\'".';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), KEYCHAIN_TIMEOUT_MS);
  });
  try {
    const answer = await Promise.race([secrets.list(), timeout]);
    if (answer === 'timeout') return { name: 'keychain', status: 'fail', detail: `the keychain did not answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s`, fix };
    return { name: 'keychain', status: 'ok', detail: `reachable, ${answer.length} workspace password${answer.length === 1 ? '' : 's'} in it` };
  } catch (error) {
    return { name: 'keychain', status: 'fail', detail: `the keychain cannot be reached: ${error instanceof Error ? error.message : String(error)}`, fix };
  } finally {
    clearTimeout(timer);
  }
}

export interface CodeServerProbe {
  /** The installed binary, when there is one. */
  bin: string | undefined;
  pinned: string;
  /** Runs `bin --version` away from the user's home; answers its version line, or throws saying what it did instead. */
  versionLine(bin: string): string;
}

export function checkCodeServerVersion({ bin, pinned, versionLine }: CodeServerProbe): DesktopCheck {
  const fix = `Run "porthole sandbox install" (code-server ${pinned}).`;
  if (!bin) return { name: 'code-server', status: 'warn', detail: 'not installed: sandbox workspaces are listed but do not run a code-server', fix };
  try {
    return { name: 'code-server', status: 'ok', detail: `${versionLine(bin)} (the pinned ${pinned})` };
  } catch (error) {
    return { name: 'code-server', status: 'fail', detail: error instanceof Error ? error.message : String(error), fix };
  }
}

/** Each AWS profile an enabled account uses yields credentials, as the SDK would resolve them (keys, SSO cache, process, roles). */
export async function checkAwsProfiles(profiles: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<DesktopCheck> {
  if (profiles.length === 0) return { name: 'aws-profiles', status: 'ok', detail: 'no AWS profile in use (the Sandbox only)' };
  const paths = sharedConfigPaths(env);
  const kinds = new Map((await discoverAwsProfiles(env)).map((p) => [p.name, p.kind?.type ?? 'unknown']));
  const failures: Array<{ profile: string; message: string; fix?: string }> = [];
  for (const profile of profiles) {
    try {
      await fromIni({ profile, filepath: paths.credentials, configFilepath: paths.config })();
    } catch (error) {
      if (!kinds.has(profile)) {
        failures.push({ profile, message: `AWS profile ${profile} is not in ${paths.config} or ${paths.credentials}.`, fix: `Add it ("aws configure sso --profile ${profile}"), or remove the account from Porthole.` });
        continue;
      }
      const mapped = credentialsError(profile, kinds.get(profile) ?? 'unknown', error);
      // The checklist shows the fix on a line of its own.
      failures.push({ profile, message: mapped.problem, ...(mapped.fix ? { fix: mapped.fix } : {}) });
    }
  }
  if (failures.length === 0) return { name: 'aws-profiles', status: 'ok', detail: `${profiles.join(', ')} resolve${profiles.length === 1 ? 's' : ''}` };
  return {
    name: 'aws-profiles',
    status: 'fail',
    detail: failures.map((f) => f.message).join(' '),
    fix: failures.map((f) => f.fix ?? `Check profile ${f.profile} in ${paths.config}.`).join(' '),
  };
}
