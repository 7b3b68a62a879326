import { execFile } from 'node:child_process';
import type { ListeningPort } from '../../shared/ports.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { PortholeError } from '../errors.js';
import { IDLE_WARNING_PATH } from '../provision/idle-agent.js';
import { asWorkspaceUser } from './box-aws-login.js';
import { PROGRESS_FILE, STATE_DIR } from '../provision/script-prelude.js';
import { LISTENERS_READ, SERVICE_PROCESSES, listenerScopeRead, parseListeners, workspacePorts, type PortExclusions } from '../ports/listening-ports.js';
import type { InstanceStatus, InstanceStatusSource } from '../workspaces/engine-ports.js';
import type { ProvisioningStatus } from '../workspaces/workspace-state.js';
import type { SshEndpointResolver } from './ssh-endpoint-resolver.js';
import { freshAccess, hostAlias, tunnelTargetOf } from './ssh-tunnel.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from './ssh-login-files.js';

/** A file of the launch script's state folder, by its name in that folder (the remote command may move the folder). */
function inStateDir(path: string): string {
  if (!path.startsWith(`${STATE_DIR}/`)) throw new Error(`${path} is not in ${STATE_DIR}`);
  return path.slice(STATE_DIR.length + 1);
}

const PROGRESS = inStateDir(PROGRESS_FILE);
const IDLE_WARNING = inStateDir(IDLE_WARNING_PATH);
/** The launch script's log beside its progress file: its last lines say why a step failed. */
const LAUNCH_LOG = 'launch.log';
const SECTION = '--- porthole ';
const END = `${SECTION}end`;

/**
 * The one command a status read runs on the instance: the last progress
 * marker, the idle warning, the end of the launch log and the TCP
 * listeners, each under a header. Plain sh; PORTHOLE_STATE_DIR moves the folder (the sandbox sets it).
 */
export function instanceStatusCommand(): string {
  // The echo after each read ends a last line that has no newline (a write cut short) before the next header.
  const section = (name: string, read: string) => `echo '${SECTION}${name}'; ${read} 2>/dev/null; echo`;
  return [
    'd="${PORTHOLE_STATE_DIR:-' + STATE_DIR + '}"',
    section('progress', `tail -n 1 "$d/${PROGRESS}"`),
    section('idle-warning', `cat "$d/${IDLE_WARNING}"`),
    section('launch-log', `tail -n 5 "$d/${LAUNCH_LOG}"`),
    section('ports', `{ ${LISTENERS_READ}; }`),
    section('aws-sso', `{ ${AWS_TOKEN_EXPIRY_READ}; }`),
    listenerScopeRead('PORTHOLE_STATE_DIR', `${SECTION}ports-scope`),
    `echo '${END}'`,
  ].join('; ');
}

/**
 * When each of the box's own IAM Identity Center tokens runs out: the
 * "expiresAt" of every AWS CLI cache file holding a token, read as the
 * workspace user, and never the token itself.
 */
const AWS_TOKEN_EXPIRY_READ = asWorkspaceUser(
  `echo read; for f in "$HOME"/.aws/sso/cache/*.json; do [ -f "$f" ] && grep -q '"accessToken"' "$f" && grep -o '"expiresAt": *"[^"]*"' "$f"; done; true`,
);

const PROGRESS_LINE = /^(?:launch (\S+) )?step (\d+) of (\d+) (.+) (running|ok|failed)$/;
const LOG_PREFIX = /^\S+ porthole: /;

/**
 * What the command printed, as a status. The progress file's last line is
 * "launch <id> step <i> of <n> <name> <running|ok|failed>" (the launch
 * script's prelude); only a line of `launchId`, the instance's current
 * launch, counts (without one, from an instance launched before markers
 * named their launch, any line does). The idle warning holds "stop-at
 * <epoch seconds>" (the idle agent).
 */
export function parseInstanceStatus(
  output: string,
  workspace: string,
  exclusions: PortExclusions = { ports: [], processes: SERVICE_PROCESSES },
  launchId?: string,
): InstanceStatus {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  let ended = false;
  for (const line of output.split('\n')) {
    if (line === END) {
      ended = true;
      break;
    }
    if (line.startsWith(SECTION)) {
      current = [];
      sections.set(line.slice(SECTION.length), current);
    } else if (current && line.trim() !== '') current.push(line.trimEnd());
  }
  if (!ended || !sections.has('progress') || !sections.has('idle-warning')) {
    throw new PortholeError('network', `The status read from ${workspace} was cut short, so its provisioning progress is unknown.`, {
      fix: 'Porthole reads it again at the next refresh; if it keeps failing, check the connection to the workspace.',
    });
  }
  const provisioning = parseProgress(sections.get('progress')!.at(-1), sections.get('launch-log') ?? [], workspace, launchId);
  const stopAt = /^stop-at (\d+)$/m.exec(sections.get('idle-warning')!.join('\n'))?.[1];
  return { provisioning, ...(stopAt !== undefined ? { idleStopAt: new Date(Number(stopAt) * 1000) } : {}), ...portsOf(sections, exclusions), ...awsSignInOf(sections) };
}

/** The latest expiry among the box's tokens; a read with no token says so with no `expiresAt`, one that could not look (no workspace user to be) says nothing. */
function awsSignInOf(sections: Map<string, string[]>): Pick<InstanceStatus, 'awsSignIn'> {
  const lines = sections.get('aws-sso');
  if (lines?.[0] !== 'read') return {};
  const expiries = lines.map((line) => Date.parse(/"expiresAt": *"([^"]*)"/.exec(line)?.[1] ?? '')).filter((time) => !Number.isNaN(time));
  return { awsSignIn: expiries.length > 0 ? { expiresAt: new Date(Math.max(...expiries)) } : {} };
}

function portsOf(sections: Map<string, string[]>, exclusions: PortExclusions): { ports?: ListeningPort[] } {
  const listed = sections.get('ports');
  if (!listed) return {};
  const scope = sections.get('ports-scope');
  return { ports: workspacePorts(parseListeners(listed), exclusions, scope ? new Set(scope.map(Number)) : undefined) };
}

function parseProgress(line: string | undefined, log: string[], workspace: string, launchId: string | undefined): ProvisioningStatus {
  // No marker yet: the instance is up but its launch script has not begun.
  if (line === undefined) return { done: false };
  const match = PROGRESS_LINE.exec(line);
  if (!match) {
    throw new PortholeError('internal', `The progress file of ${workspace} ends with a line Porthole does not understand: "${line.slice(0, 120)}".`, {
      fix: `Look at ${PROGRESS_FILE} on the instance; it is written only by Porthole's launch script.`,
    });
  }
  // A marker of an earlier launch, still on a disk that came from a snapshot or an image: this launch's script has not begun.
  if (launchId !== undefined && match[1] !== launchId) return { done: false };
  const step = { index: Number(match[2]), total: Number(match[3]), name: match[4]! };
  const status = match[5]!;
  if (status === 'failed') return { done: false, step, failure: failureReason(step, log) };
  return { done: status === 'ok' && step.index === step.total, step };
}

/** The failed step and what the launch log said during it (its own messages, never command output). */
function failureReason(step: { index: number; total: number; name: string }, log: string[]): string {
  const lines = log.map((line) => line.replace(LOG_PREFIX, ''));
  const began = lines.findLastIndex((line) => line.startsWith(`step ${step.index} of ${step.total}:`));
  const during = lines.slice(began + 1).join('; ').slice(0, 300);
  return `Provisioning failed at step ${step.index} of ${step.total} (${step.name})${during ? `: ${during}` : ''}. The instance's log is ${STATE_DIR}/${LAUNCH_LOG}.`;
}

export interface InstanceStatusReaderDependencies {
  gateway: Pick<LightsailGateway, 'getAccessDetails'>;
  resolver: SshEndpointResolver;
  now?: () => Date;
  /** The OpenSSH client; `ssh` from PATH by default. */
  sshCommand?: string;
  /** The whole read, connection included; it is retried at the next refresh anyway. */
  timeoutMs?: number;
}

/**
 * Reads a workspace's status with one short `ssh` run (no tunnel) and a
 * fresh Lightsail certificate: the key files live in a private folder only
 * while ssh runs, and nothing secret goes on its command line or into an error.
 */
export function instanceStatusReader(deps: InstanceStatusReaderDependencies): InstanceStatusSource {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return {
    async read(ref) {
      const target = tunnelTargetOf(ref);
      const { details, point } = await freshAccess(deps, target);
      const files = await writeSshLoginFiles(details, hostAlias(target));
      try {
        const connectSeconds = Math.max(1, Math.ceil(timeoutMs / 2000));
        // ssh keeps the first value it is given for an option, so these win over the shared login options.
        const args = ['-T', '-o', `ConnectTimeout=${connectSeconds}`, '-o', 'ClearAllForwardings=yes', ...sshLoginOptions(files, point, details.username), instanceStatusCommand()];
        const run = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve) => {
          execFile(deps.sshCommand ?? 'ssh', args, { timeout: timeoutMs, maxBuffer: 256 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
            // Not the error's message: it repeats the whole command line.
            const failed = error as { code?: number | string; killed?: boolean; signal?: string } | null;
            const code = failed ? (typeof failed.code === 'number' ? failed.code : -1) : 0;
            resolve({ code, stdout, stderr: stderr || (failed ? `ssh ended with ${failed.signal ?? failed.code ?? 'an error'}` : ''), timedOut: failed?.killed === true });
          });
        });
        if (run.timedOut) {
          throw new PortholeError('timeout', `Reading the status of ${ref.name} over SSH took longer than ${Math.round(timeoutMs / 1000)} s.`, {
            fix: 'Porthole reads it again at the next refresh; check your network connection if it keeps happening.',
          });
        }
        if (run.code !== 0) throw sshFailure(ref.name, run.stderr, details, deps.now?.() ?? new Date());
        const services = [point.ssh.port, point.tunnelTarget.port, ...(point.directTarget ? [point.directTarget.port] : [])];
        return parseInstanceStatus(run.stdout, ref.name, { ports: services, processes: SERVICE_PROCESSES }, ref.launchId);
      } finally {
        await files.remove();
      }
    },
  };
}
