import type { Workspace } from '../shared/workspace.js';

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

export function workspaceTable(workspaces: readonly Workspace[], options: { withAccount?: boolean } = {}): string {
  const rows = workspaces.map((w) => [w.name, stateLabel(w), w.region, w.bundleId, w.publicIp ?? '-', usd(w.cost.monthlyUsd)]);
  const headers = ['NAME', 'STATE', 'REGION', 'BUNDLE', 'IP', 'PER MONTH'];
  if (!options.withAccount) return table(headers, rows);
  return table(['ACCOUNT', ...headers], rows.map((row, i) => [workspaces[i]!.account, ...row]));
}

export function workspaceDetails(w: Workspace): string {
  const rows: Array<[string, string | undefined]> = [
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
    ['Created', w.createdAt],
    ['Cost now', `${usd(w.cost.monthlyUsd)}/month`],
    ['Running/stopped', `${usd(w.cost.activeMonthlyUsd)}/month`],
    ['Hibernated', `${usd(w.cost.hibernatedMonthlyUsd)}/month`],
    ['Password', w.hasPassword ? 'in the keychain' : `missing: run "porthole password ${w.name} --reset"`],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([label, value]) => `${`${label}:`.padEnd(17)}${value}`)
    .join('\n');
}
