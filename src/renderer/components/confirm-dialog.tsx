import { useState } from 'react';
import type { Workspace } from '../../shared/workspace';
import { usd } from '../format';
import { ModalDialog } from './modal-dialog';

export type Confirmation = { kind: 'delete'; workspace: Workspace } | { kind: 'hibernate'; workspace: Workspace };

/** The two actions that lose something (data, or an address) ask first and say what it costs. */
export function ConfirmDialog(props: {
  confirmation: Confirmation;
  onCancel: () => void;
  onConfirm: (options: { keepSnapshots?: boolean; releaseIp?: boolean }) => void;
}) {
  const { confirmation, onCancel, onConfirm } = props;
  const { workspace } = confirmation;
  const [checked, setChecked] = useState(false);
  if (confirmation.kind === 'delete') {
    return (
      <ModalDialog title={`Delete ${workspace.name}?`} onClose={onCancel}>
        <p>
          Its instance, static IP{workspace.snapshotName ? ', snapshots' : ''}
          {workspace.backups ? ', daily backups' : ''} and password go. Files on it are lost.
        </p>
        <label className="check">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> Keep its snapshots
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => onConfirm({ keepSnapshots: checked })}>
            Delete {workspace.name}
          </button>
        </div>
      </ModalDialog>
    );
  }
  return (
    <ModalDialog title={`Hibernate ${workspace.name}?`} onClose={onCancel}>
      <p>
        Porthole takes a snapshot, then deletes the instance. Hibernated it costs about {usd(workspace.cost.hibernatedMonthlyUsd)} a month instead of{' '}
        {usd(workspace.cost.activeMonthlyUsd)}. Resume brings it back with the same files and password.
      </p>
      {workspace.backups && <p>Its daily backups are deleted with the instance; resuming turns them on again, starting afresh.</p>}
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> Release the static IP too (cheaper; the address changes)
      </label>
      <div className="dialog-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" onClick={() => onConfirm({ releaseIp: checked })}>
          Hibernate {workspace.name}
        </button>
      </div>
    </ModalDialog>
  );
}
