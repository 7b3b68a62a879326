import { spawn } from 'node:child_process';
import type { Workspace } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import { WORKSPACE_USER } from '../provision/layer.js';
import { shellQuote } from '../provision/shell-quote.js';
import { boxTarget } from './box-target.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from './ssh-login-files.js';
import { type BoxAccessDependencies, freshAccess, hostAlias, type TunnelTarget } from './ssh-tunnel.js';

/** What the box's `aws sso login` asks the person at the desktop to confirm in a browser. */
export interface AwsSignInPrompt {
  verificationUri: string;
  userCode: string;
  /** The same page with the code filled in. */
  verificationUriComplete: string;
}

export interface BoxAwsSignIn {
  workspace: string;
  profile: string;
  /** The start URL the box signed in at, as its CLI reported it. */
  startUrl?: string;
}

/**
 * A command run as the workspace user, whose home holds the AWS CLI's config
 * and token cache, with the system's PATH (as the launch script's as_user):
 * through sudo on an instance (its SSH login is the blueprint's user);
 * sandbox sessions, which share this computer's user, find that home in
 * PORTHOLE_WORKSPACE_HOME instead.
 */
export function asWorkspaceUser(command: string): string {
  const path = 'PATH=/usr/local/bin:/usr/bin:/bin';
  return `if [ -n "\${PORTHOLE_WORKSPACE_HOME:-}" ]; then cd "$PORTHOLE_WORKSPACE_HOME" && env HOME="$PORTHOLE_WORKSPACE_HOME" ${path} sh -c ${shellQuote(command)}; else sudo -n -H -u ${WORKSPACE_USER} env ${path} sh -c ${shellQuote(`cd && ${command}`)}; fi`;
}

/**
 * `aws sso login` in its device form, on the box: CLIs from 2.22 sign in by
 * a browser redirect to the box's own loopback unless told to use the device
 * code, a flag the older ones (Debian's 2.9) do not know.
 */
export function boxAwsLoginCommand(profile: string): string {
  return asWorkspaceUser(
    [
      'command -v aws >/dev/null 2>&1 || { echo "porthole: no aws command on the workspace" >&2; exit 127; }',
      'case "$(aws --version 2>&1)" in aws-cli/2.[0-9].*|aws-cli/2.1[0-9].*|aws-cli/2.2[01].*) device= ;; *) device=--use-device-code ;; esac',
      `exec aws sso login --no-browser $device --profile ${shellQuote(profile)}`,
    ].join('\n'),
  );
}

const URL_LINE = /^https?:\/\/\S+$/;
const USER_CODE_LINE = /^[A-Z0-9]{4,8}-[A-Z0-9]{4,8}$/;

/** The link and code in what `aws sso login --no-browser` printed so far, once both are there. */
export function parseAwsSignInPrompt(output: string): AwsSignInPrompt | undefined {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const urls = lines.filter((line) => URL_LINE.test(line));
  const userCode = lines.find((line) => USER_CODE_LINE.test(line));
  const complete = urls.find((url) => url.includes('user_code='));
  const plain = urls.find((url) => !url.includes('user_code='));
  if (!userCode || !complete) return undefined;
  return { verificationUri: plain ?? complete.replace(/[?&]user_code=[^&]*/, ''), userCode, verificationUriComplete: complete };
}

export interface BoxAwsLoginOptions {
  /** Shows the link and code, and opens the browser; a failure here does not stop the sign-in. */
  onPrompt(prompt: AwsSignInPrompt): void | Promise<void>;
  signal?: AbortSignal;
  /** The whole sign-in; the CLI itself gives up when its device code expires (10 minutes). */
  timeoutMs?: number;
}

/**
 * The device sign-in to IAM Identity Center run for the box: the box's own
 * CLI starts it over SSH with a fresh Lightsail certificate, the link and
 * code come back to the desktop through `onPrompt`, and the token the CLI
 * receives stays in the box's ~/.aws/sso/cache. Nothing secret travels on
 * the SSH command line, and the CLI prints no token.
 */
export async function signInToAwsOnBox(
  deps: BoxAccessDependencies,
  target: TunnelTarget,
  profile: string,
  options: BoxAwsLoginOptions,
): Promise<BoxAwsSignIn> {
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  try {
    const run = await new Promise<{ code: number; stdout: string; stderr: string; why?: string }>((resolve) => {
      const child = spawn('ssh', ['-T', '-o', 'ClearAllForwardings=yes', ...sshLoginOptions(files, point, details.username), boxAwsLoginCommand(profile)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let prompted = false;
      let why: string | undefined;
      const stop = (reason: string) => {
        why ??= reason;
        child.kill('SIGTERM');
      };
      const timer = setTimeout(() => stop(`it did not finish within ${Math.round((options.timeoutMs ?? 900_000) / 60_000)} minutes`), options.timeoutMs ?? 900_000);
      const onAbort = () => stop('it was cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (chunk: Buffer) => {
        stdout = (stdout + chunk.toString()).slice(-16_384);
        const prompt = prompted ? undefined : parseAwsSignInPrompt(stdout);
        if (prompt) {
          prompted = true;
          void Promise.resolve(options.onPrompt(prompt)).catch(() => undefined);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-16_384)));
      child.once('error', (error) => resolve({ code: 255, stdout, stderr: error.message }));
      child.once('close', (exit) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ code: exit ?? 255, stdout, stderr, ...(why ? { why } : {}) });
      });
    });
    if (run.why) throw new PortholeError('timeout', `The AWS sign-in on ${target.workspace} stopped: ${run.why}.`, { fix: `Run "porthole aws-login ${target.workspace}" again.` });
    if (run.code === 255) throw sshFailure(target.workspace, run.stderr, details, deps.now?.() ?? new Date());
    if (run.code === 127) {
      throw new PortholeError('not-found', `The AWS CLI is not installed on ${target.workspace}.`, {
        fix: `Create the workspace with --aws-profile (it brings the aws layer), or add the aws layer to its layers.`,
      });
    }
    if (run.code !== 0) {
      const said = run.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit status ${run.code}`;
      throw new PortholeError('credentials', `The AWS sign-in on ${target.workspace} failed: ${said.slice(0, 300)}`, {
        fix: `Check that the profile "${profile}" is in the workspace's ~/.aws/config and that you approved the code in the browser, then run "porthole aws-login ${target.workspace}" again.`,
      });
    }
    const startUrl = /Successfully logged into Start URL: (\S+)/.exec(run.stdout)?.[1];
    return { workspace: target.workspace, profile, ...(startUrl ? { startUrl } : {}) };
  } finally {
    await files.remove();
  }
}

/** Where and as which profile a workspace signs in: one of the profiles it was created with, the first by default. */
export function awsSignInTarget(workspace: Workspace, profile?: string): { target: TunnelTarget; profile: string } {
  const profiles = workspace.aws?.profiles ?? [];
  if (profiles.length === 0) {
    throw new PortholeError('usage', `Workspace "${workspace.name}" has no AWS profiles, so its AWS CLI has nothing to sign in with.`, {
      fix: 'Create a workspace with --aws-profile PROFILE (an IAM Identity Center profile from ~/.aws/config); the workspace gets the AWS CLI and that profile, without keys.',
    });
  }
  const chosen = profile ?? profiles[0]!;
  if (!profiles.includes(chosen)) {
    throw new PortholeError('usage', `Workspace "${workspace.name}" has no AWS profile "${chosen}".`, { fix: `Use one of: ${profiles.join(', ')}.` });
  }
  return { target: boxTarget(workspace, 'signing in to AWS'), profile: chosen };
}
