import { useCallback, useEffect, useRef, useState } from 'react';
import { AWS_SIGN_IN_LABEL, type Workspace } from '../../shared/workspace';
import { accruedUsd, idleDeadline, progressLabel, progressOf, usd } from '../format';
import { WorkspaceActions, type WorkspaceAction } from './workspace-actions';

const ROW_HEIGHT = 48;
const OVERSCAN = 8;

/**
 * The workspaces, windowed: only the rows in view (plus a few) are in the
 * DOM, with spacer rows standing in for the rest, so 1,000 workspaces
 * scroll and update as quickly as ten.
 */
export function WorkspaceTable(props: { workspaces: readonly Workspace[]; onAction: (action: WorkspaceAction, workspace: Workspace) => void }) {
  const { workspaces, onAction } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const now = new Date();

  const measure = useCallback(() => {
    const element = scroller.current;
    if (element) setView({ top: element.scrollTop, height: element.clientHeight || 800 });
  }, []);
  useEffect(() => {
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [measure]);

  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(workspaces.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const shown = workspaces.slice(first, last);

  return (
    <div className="table-scroller" ref={scroller} onScroll={measure} tabIndex={-1}>
      <table className="workspaces" data-workspace-count={workspaces.length} aria-rowcount={workspaces.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Workspace</th>
            <th scope="col">State</th>
            <th scope="col">Region</th>
            <th scope="col">Bundle</th>
            <th scope="col">IP</th>
            <th scope="col" className="number">Monthly</th>
            <th scope="col" className="number">This month</th>
            <th scope="col">Idle stop</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <Spacer rows={first} />}
          {shown.map((workspace, offset) => (
            <WorkspaceRow key={`${workspace.region}/${workspace.name}`} index={first + offset} workspace={workspace} now={now} onAction={onAction} />
          ))}
          {last < workspaces.length && <Spacer rows={workspaces.length - last} />}
        </tbody>
      </table>
    </div>
  );
}

function Spacer(props: { rows: number }) {
  const ref = useRef<HTMLTableRowElement>(null);
  // Set through the CSSOM: the CSP forbids style attributes in markup, not style properties.
  useEffect(() => {
    if (ref.current) ref.current.style.height = `${props.rows * ROW_HEIGHT}px`;
  }, [props.rows]);
  return <tr ref={ref} className="spacer" aria-hidden="true" />;
}

function WorkspaceRow(props: { workspace: Workspace; index: number; now: Date; onAction: (action: WorkspaceAction, workspace: Workspace) => void }) {
  const { workspace, index, now, onAction } = props;
  const progress = progressOf(workspace);
  const label = progressLabel(workspace);
  return (
    <tr aria-rowindex={index + 2} data-workspace={workspace.name} data-state={workspace.state}>
      <th scope="row" className="name">
        {workspace.name}
      </th>
      <td>
        <span className={`state state-${workspace.state}`}>{workspace.state}</span>
        {progress && label && (
          <progress
            className={progress.provisioning ? 'operation provisioning' : 'operation'}
            max={progress.total}
            value={progress.index}
            aria-label={`${workspace.name} ${label}`}
            title={label}
          />
        )}
        {workspace.reason && <span className="reason">{workspace.reason}</span>}
        {workspace.state === 'error' && workspace.failedStep && workspace.publicIp && (
          <button type="button" className="failed-step-link" onClick={() => onAction('logs', workspace)}>
            Show the log at step {workspace.failedStep.index}
          </button>
        )}
        {workspace.aws && <span className="reason aws-profiles">AWS: {workspace.aws.profiles.join(', ')}</span>}
        {workspace.aws?.signIn === 'expired' && <span className="reason">AWS sign-in expired: More → {AWS_SIGN_IN_LABEL}</span>}
      </td>
      <td>{workspace.region}</td>
      <td>{workspace.bundleId}</td>
      <td className="ip">{workspace.publicIp ?? '—'}</td>
      <td className="number">{usd(workspace.cost.monthlyUsd)}</td>
      <td className="number">{usd(accruedUsd(workspace, now))}</td>
      <td className={workspace.idleStopAt ? 'idle-warning' : undefined} title={workspace.idleStopAt ? `Stops at ${new Date(workspace.idleStopAt).toLocaleString()} unless it is used` : undefined}>
        {idleDeadline(workspace, now)}
      </td>
      <td>
        <WorkspaceActions workspace={workspace} onAction={onAction} />
      </td>
    </tr>
  );
}
