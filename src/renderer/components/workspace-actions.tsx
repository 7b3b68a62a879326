import { AWS_SIGN_IN_LABEL, type Workspace } from '../../shared/workspace';

export type WorkspaceAction =
  | 'open'
  | 'openInBrowser'
  | 'openInVsCode'
  | 'start'
  | 'stop'
  | 'reboot'
  | 'hibernate'
  | 'resume'
  | 'bake'
  | 'backups'
  | 'logs'
  | 'exportDiagnostics'
  | 'signInToAws'
  | 'copyPassword'
  | 'delete';

const LABELS: Record<WorkspaceAction, string> = {
  open: 'Open',
  openInBrowser: 'Open in browser',
  openInVsCode: 'Open in VS Code',
  start: 'Start',
  stop: 'Stop',
  reboot: 'Reboot',
  hibernate: 'Hibernate',
  resume: 'Resume',
  bake: 'Bake image',
  backups: 'Backups…',
  logs: 'Logs',
  exportDiagnostics: 'Export diagnostics',
  signInToAws: AWS_SIGN_IN_LABEL,
  copyPassword: 'Copy password',
  delete: 'Delete',
};

/** What a user can do from each state; the engine refuses the rest, so the row does not offer them. */
export function actionsFor(workspace: Workspace): WorkspaceAction[] {
  const running: WorkspaceAction[] = ['open', 'openInBrowser', 'openInVsCode', 'stop', 'hibernate', 'reboot', 'bake', 'backups', 'logs'];
  const byState: Partial<Record<Workspace['state'], WorkspaceAction[]>> = {
    ready: running,
    provisioning: ['stop', 'hibernate', 'reboot', 'backups', 'logs'],
    stopped: ['start', 'hibernate', 'backups'],
    hibernated: ['resume', 'backups'],
    // The box of a failed launch still answers SSH: its log says why.
    error: ['start', 'stop', 'hibernate', ...(workspace.publicIp ? (['logs'] as const) : [])],
  };
  const actions = [...(byState[workspace.state] ?? [])];
  // The archive says what it can without the box (record, events, versions), so any workspace has one.
  if (workspace.state !== 'deleting') actions.push('exportDiagnostics');
  if (workspace.state === 'ready' && workspace.aws) actions.push('signInToAws');
  if (workspace.hasPassword && workspace.state !== 'deleting') actions.push('copyPassword');
  if (workspace.state !== 'deleting') actions.push('delete');
  return actions;
}

/** Shown on the row itself; the rest sit in its "More" menu, so a row stays one line. */
const PRIMARY: ReadonlySet<WorkspaceAction> = new Set(['open', 'start', 'stop', 'hibernate', 'resume']);

export function WorkspaceActions(props: { workspace: Workspace; onAction: (action: WorkspaceAction, workspace: Workspace) => void }) {
  const { workspace, onAction } = props;
  const actions = actionsFor(workspace);
  const button = (action: WorkspaceAction, onDone?: () => void) => (
    <button
      key={action}
      type="button"
      className={action === 'delete' ? 'danger' : undefined}
      aria-label={`${LABELS[action]} ${workspace.name}`}
      onClick={() => {
        onDone?.();
        onAction(action, workspace);
      }}
    >
      {LABELS[action]}
    </button>
  );
  const more = actions.filter((action) => !PRIMARY.has(action));
  return (
    <div className="actions">
      {actions.filter((action) => PRIMARY.has(action)).map((action) => button(action))}
      {more.length > 0 && (
        <details className="more">
          <summary aria-label={`More actions for ${workspace.name}`}>More</summary>
          <div className="more-menu">
            {more.map((action) =>
              button(action, () => {
                // Close the menu once an action is chosen.
                document.activeElement?.closest('details')?.removeAttribute('open');
              }),
            )}
          </div>
        </details>
      )}
    </div>
  );
}
