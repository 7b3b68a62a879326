import type { LogLine } from '../../shared/workspace-log.js';
import { boxTarget } from '../access/box-target.js';
import { runOnBox } from '../access/box-command.js';
import type { SshEndpointResolver } from '../access/ssh-endpoint-resolver.js';
import { readEventHistory } from '../app/event-history.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import { isPortholeError } from '../errors.js';
import { LOG_SOURCES } from '../logs/log-sources.js';
import { streamLogs } from '../logs/log-stream.js';
import type { PasswordVault } from '../workspaces/engine-ports.js';
import type { WorkspaceEngine } from '../workspaces/workspace-engine.js';
import { BOX_VERSIONS_COMMAND, localVersions, parseBoxVersions, writeDiagnosticsArchive } from './diagnostics-archive.js';

export interface DiagnosticsDependencies {
  engine: Pick<WorkspaceEngine, 'get' | 'account'>;
  gateway: Pick<LightsailGateway, 'getAccessDetails'>;
  resolver: SshEndpointResolver;
  passwords: Pick<PasswordVault, 'get'>;
  /** The engine's event history file (event-history.ts). */
  historyPath: string;
  portholeVersion: string;
}

/** The archive's name: `porthole-diagnostics-NAME-20261204T081500Z.tar.gz`, sorting by when it was made. */
export function diagnosticsFileName(name: string, at: Date): string {
  return `porthole-diagnostics-${name}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz`;
}

/** How much of each log goes in: enough for the story of a failure, small enough to attach to a report. */
const LOG_LINES = 2_000;

/**
 * "Export diagnostics": the workspace record, its recent engine events, the
 * box's logs and the versions on both sides in one archive, with the
 * workspace's password (from the keychain) and anything shaped like a
 * secret removed. A box that cannot be read (stopped, unreachable) still
 * gives an archive, which says why its logs are missing.
 */
export async function exportDiagnostics(deps: DiagnosticsDependencies, ref: { name: string; region?: string }, outFile: string): Promise<{ path: string; files: string[] }> {
  const workspace = deps.engine.get(ref.name, ref.region);
  const password = await deps.passwords.get({ account: deps.engine.account, region: workspace.region, name: workspace.name }).catch(() => undefined);
  const history = await readEventHistory(deps.historyPath, { workspace: workspace.name, region: workspace.region, account: deps.engine.account });
  let logs: LogLine[] | { unavailable: string };
  let boxVersions = '';
  try {
    const target = boxTarget(workspace, 'reading its logs');
    const lines: LogLine[] = [];
    const stream = await streamLogs(deps, target, { sources: LOG_SOURCES, follow: false, lines: LOG_LINES }, (batch) => lines.push(...batch));
    await stream.done;
    logs = lines;
    boxVersions = await runOnBox(deps, target, BOX_VERSIONS_COMMAND);
  } catch (error) {
    if (!isPortholeError(error)) throw error;
    logs = { unavailable: `The box's logs could not be read: ${error.message}` };
  }
  const versions = { ...(await localVersions(deps.portholeVersion)), ...parseBoxVersions(boxVersions, logs) };
  return writeDiagnosticsArchive({ workspace, history, logs, versions, secrets: password ? [password] : [] }, outFile);
}
