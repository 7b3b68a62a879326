import type { Workspace } from '../shared/workspace.js';
import type { InstanceProbe, WorkspaceStatus } from '../core/workspaces/workspace-probe.js';

export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** A plain-text table: columns padded to their widest cell, no borders, so it greps and diffs well. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function stateLabel(workspace: Workspace): string {
  if (workspace.operation) return `${workspace.state} (${workspace.operation.index}/${workspace.operation.total} ${workspace.operation.step})`;
  if (workspace.state === 'provisioning' && workspace.provisioning) return `provisioning (step ${workspace.provisioning.index}/${workspace.provisioning.total} ${workspace.provisioning.step})`;
  if (workspace.idleStopAt) return `${workspace.state}, idle: stops at ${localClock(new Date(workspace.idleStopAt))}`;
  return workspace.state;
}

/** The idle rule, or the stop its idle agent announced. */
export function idleStopLabel(workspace: Workspace): string {
  if (workspace.idleStopAt) return `stops at ${localClock(new Date(workspace.idleStopAt))} (${workspace.idleStopAt}) unless it is used`;
  return workspace.idleTimeoutMinutes ? `after ${workspace.idleTimeoutMinutes} min idle` : 'never';
}

function localClock(at: Date): string {
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** A local time to the second, for lines that follow changes as they happen. */
export function localClockSeconds(at: Date): string {
  return `${localClock(at)}:${String(at.getSeconds()).padStart(2, '0')}`;
}

/**
 * `porthole ls --watch` without a terminal: one line per change a person
 * would see in the list, or nothing when no column they see changed.
 * A workspace first seen (the first listing, or a new one) is a line of its own.
 */
export function changeLine(previous: Workspace | undefined, next: Workspace, at: Date): string | undefined {
  const line = (text: string) => `${localClockSeconds(at)} ${next.name} ${text}${next.state === 'error' && next.reason ? `: ${next.reason}` : ''}`;
  if (!previous) return line(stateLabel(next));
  if (previous.state !== next.state) return line(`${previous.state} -> ${stateLabel(next)}`);
  if (stateLabel(previous) !== stateLabel(next)) return line(stateLabel(next));
  if (previous.publicIp !== next.publicIp) return `${localClockSeconds(at)} ${next.name} address ${previous.publicIp ?? '-'} -> ${next.publicIp ?? '-'}`;
  return undefined;
}

export function removedLine(workspace: Workspace, at: Date): string {
  return `${localClockSeconds(at)} ${workspace.name} removed`;
}

/** `porthole ls --watch` on a terminal: the list under a line saying what is watched and when it was drawn, redrawn in place. */
export function watchFrame(account: string, workspaces: readonly Workspace[], at: Date, notice?: string): string {
  const heading = `Account ${account}, as of ${localClockSeconds(at)}. Ctrl-C to stop.`;
  const list = workspaces.length > 0 ? workspaceTable(workspaces) : 'No workspaces yet; they show here as they appear.';
  return `${[heading, list, ...(notice ? [notice] : [])].join('\n')}\n`;
}

export function workspaceTable(workspaces: readonly Workspace[], options: { withAccount?: boolean } = {}): string {
  const rows = workspaces.map((w) => [w.name, stateLabel(w), w.region, w.bundleId, w.publicIp ?? '-', usd(w.cost.monthlyUsd)]);
  const headers = ['NAME', 'STATE', 'REGION', 'BUNDLE', 'IP', 'PER MONTH'];
  if (!options.withAccount) return table(headers, rows);
  return table(['ACCOUNT', ...headers], rows.map((row, i) => [workspaces[i]!.account, ...row]));
}

/** `porthole status`: the details, with what the instance said about itself (or why it was not asked) under the state. */
export function workspaceStatusDetails(status: WorkspaceStatus): string {
  const rows = detailRows(status);
  rows.splice(rows.findIndex(([label]) => label === 'Account'), 0, ['Instance', instanceProbeLabel(status.instance)]);
  return detailBlock(rows);
}

/** What the instance's own status read said, in a line. */
export function instanceProbeLabel(probe: InstanceProbe): string {
  switch (probe.outcome) {
    case 'not-asked':
      return probe.message;
    case 'failed':
      return `could not be read: ${probe.message}`;
    case 'read': {
      const { done, step, failure } = probe.provisioning;
      const read = `read at ${localClockSeconds(new Date(probe.at))}`;
      if (failure && step) return `${read}: its launch script failed at step ${step.index} of ${step.total} (${step.name})`;
      if (done) return `${read}: provisioned${step ? ` (all ${step.total} launch script steps done)` : ''}`;
      if (!step) return `${read}: its launch script has not begun yet`;
      return `${read}: its launch script is at step ${step.index} of ${step.total} (${step.name})`;
    }
  }
}

function detailRows(w: Workspace): Array<[string, string | undefined]> {
  return [
    ['Name', w.name],
    ['State', stateLabel(w)],
    ['Reason', w.reason],
    ['Account', w.account],
    ['Region', w.region],
    ['Bundle', w.bundleId],
    ['Blueprint', w.blueprintId],
    ['Access', w.accessMode === 'tunnel' ? 'SSH tunnel (code-server on the instance loopback only)' : 'direct HTTPS (pinned certificate)'],
    ['IP', w.publicIp],
    ['Static IP', w.staticIpName],
    ['Snapshot', w.snapshotName],
    ['Idle stop', idleStopLabel(w)],
    ['Ports', w.ports && (w.ports.map((p) => `${p.port}${p.process ? ` (${p.process})` : ''}`).join(', ') || 'none of its own programs listens')],
    ['AWS', w.aws && awsLabel(w)],
    ['Created', w.createdAt],
    ['Cost now', `${usd(w.cost.monthlyUsd)}/month`],
    ['Running/stopped', `${usd(w.cost.activeMonthlyUsd)}/month`],
    ['Hibernated', `${usd(w.cost.hibernatedMonthlyUsd)}/month`],
    ['Password', w.hasPassword ? 'in the keychain' : `missing: run "porthole password ${w.name} --reset"`],
  ];
}

/** The workspace's own AWS sign-in, with what to run when it needs one. */
function awsLabel(w: Workspace): string {
  const profiles = `profiles ${w.aws?.profiles.join(', ') ?? ''}`;
  switch (w.aws?.signIn) {
    case 'signed-in':
      return `${profiles}; signed in until ${localClock(new Date(w.aws.signedInUntil ?? ''))}`;
    case 'expired':
      return `${profiles}; its sign-in expired: run "porthole aws-login ${w.name}"`;
    case 'signed-out':
      return `${profiles}; not signed in: run "porthole aws-login ${w.name}"`;
    default:
      return profiles;
  }
}

function detailBlock(rows: Array<[string, string | undefined]>): string {
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([label, value]) => `${`${label}:`.padEnd(17)}${value}`)
    .join('\n');
}
