import { useId, useState, type FormEvent } from 'react';
import type { PortholeApi } from '../../shared/contract';
import type { Workspace } from '../../shared/workspace';
import { describeFailure } from '../api/contract-call-error';
import { ModalDialog } from './modal-dialog';

/**
 * Bake an image: a snapshot of this ready workspace, tagged with its
 * layers, that the wizard then offers. It closes once the bake has begun;
 * the row shows the progress, a refusal stays in the form.
 */
export function BakeDialog(props: { api: PortholeApi; workspace: Workspace; onClose: () => void; onStarted: (image: string, done: Promise<unknown>) => void }) {
  const { api, workspace, onClose, onStarted } = props;
  const id = useId();
  const [image, setImage] = useState(`${workspace.name}-image`);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const done = api.bakeWorkspace({ name: workspace.name, region: workspace.region, image });
    const early = await Promise.race([done.then(() => undefined, (error: unknown) => describeFailure(error)), new Promise<undefined>((r) => setTimeout(r, 400))]);
    setBusy(false);
    if (early) {
      setProblem(`${early.message}${early.fix ? ` ${early.fix}` : ''}`);
      return;
    }
    onStarted(image, done);
    onClose();
  };

  return (
    <ModalDialog title={`Bake an image of ${workspace.name}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>New workspaces started from the image skip the layer steps it already has. Its snapshot is billed by size each month.</p>
        <div className="field">
          <label htmlFor={`${id}-image`}>Image name</label>
          <input id={`${id}-image`} value={image} autoFocus spellCheck={false} aria-invalid={problem ? true : undefined} aria-describedby={`${id}-error`} onChange={(e) => setImage(e.target.value)} />
          <p id={`${id}-error`} className="field-error" role="alert">
            {problem ?? ''}
          </p>
        </div>
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || image === ''}>
            Bake image
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
