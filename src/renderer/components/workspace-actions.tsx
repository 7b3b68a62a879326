import type { Workspace } from '../../shared/workspace';

export type WorkspaceAction = 'open' | 'openInBrowser' | 'start' | 'stop' | 'reboot' | 'hibernate' | 'resume' | 'copyPassword' | 'delete';

const LABELS: Record<WorkspaceAction, string> = {
  open: 'Open',
  openInBrowser: 'Open in browser',
  start: 'Start',
  stop: 'Stop',
  reboot: 'Reboot',
  hibernate: 'Hibernate',
  resume: 'Resume',
  copyPassword: 'Copy password',
  delete: 'Delete',
};

/** What a user can do from each state; the engine refuses the rest, so the row does not offer them. */
export function actionsFor(workspace: Workspace): WorkspaceAction[] {
  const running: WorkspaceAction[] = ['open', 'openInBrowser', 'stop', 'hibernate', 'reboot'];
  const byState: Partial<Record<Workspace['state'], WorkspaceAction[]>> = {
    ready: running,
    provisioning: ['stop', 'hibernate', 'reboot'],
    stopped: ['start', 'hibernate'],
    hibernated: ['resume'],
    error: ['start', 'stop', 'hibernate'],
  };
  const actions = [...(byState[workspace.state] ?? [])];
  if (workspace.hasPassword && workspace.state !== 'deleting') actions.push('copyPassword');
  if (workspace.state !== 'deleting') actions.push('delete');
  return actions;
}

export function WorkspaceActions(props: { workspace: Workspace; onAction: (action: WorkspaceAction, workspace: Workspace) => void }) {
  const { workspace, onAction } = props;
  return (
    <div className="actions">
      {actionsFor(workspace).map((action) => (
        <button
          key={action}
          type="button"
          className={action === 'delete' ? 'danger' : undefined}
          aria-label={`${LABELS[action]} ${workspace.name}`}
          onClick={() => onAction(action, workspace)}
        >
          {LABELS[action]}
        </button>
      ))}
    </div>
  );
}
