import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PortholeApi } from '../../shared/contract';
import type { Workspace, WorkspaceBackups } from '../../shared/workspace';
import { describeFailure } from '../api/contract-call-error';
import { usd } from '../format';
import { ModalDialog } from './modal-dialog';

const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);

/**
 * A workspace's daily backups: turn them on or off and pick the UTC hour,
 * see each day's backup with what it costs, and restore one: into a new
 * workspace, leaving this one as it is, or in place, after saying that the
 * old instance goes with its backups.
 */
export function BackupsDialog(props: { api: PortholeApi; workspace: Workspace; onClose: () => void; onRestoreStarted: (name: string, done: Promise<unknown>) => void }) {
  const { api, workspace, onClose, onRestoreStarted } = props;
  const id = useId();
  const ref = { name: workspace.name, region: workspace.region };
  const [backups, setBackups] = useState<WorkspaceBackups>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [hour, setHour] = useState(workspace.backups?.timeOfDay ?? '06:00');
  const [restoring, setRestoring] = useState<{ date: string; inPlace: boolean }>();
  const [newName, setNewName] = useState(`${workspace.name}-restored`);

  const fail = (error: unknown) => {
    const failure = describeFailure(error);
    setProblem(`${failure.message}${failure.fix ? ` ${failure.fix}` : ''}`);
  };

  useEffect(() => {
    api.getBackups(ref).then((b) => {
      setBackups(b);
      if (b.timeOfDay) setHour(b.timeOfDay);
    }, fail);
    // The dialog is for one workspace: it reads its backups once, when it opens.
  }, []);

  const change = async (enabled: boolean) => {
    setBusy(true);
    setProblem(undefined);
    try {
      setBackups(await api.setBackups({ ...ref, enabled, ...(enabled ? { timeOfDay: hour } : {}) }));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (event: FormEvent) => {
    event.preventDefault();
    if (!restoring) return;
    setProblem(undefined);
    const done = api.restoreBackup({ ...ref, date: restoring.date, ...(restoring.inPlace ? {} : { as: newName }) });
    const early = await Promise.race([done.then(() => undefined, (error: unknown) => error ?? new Error('refused')), new Promise<undefined>((r) => setTimeout(r, 400))]);
    if (early) return fail(early);
    onRestoreStarted(restoring.inPlace ? workspace.name : newName, done);
    onClose();
  };

  return (
    <ModalDialog title={`Backups of ${workspace.name}`} onClose={onClose}>
      {!backups ? (
        <p>{problem ?? 'Reading the backups…'}</p>
      ) : (
        <div className="backups">
          <p>
            {backups.enabled
              ? `Lightsail takes a backup every day at ${backups.timeOfDay ?? 'an hour it picks'} UTC and keeps the ${backups.kept} newest.`
              : 'Daily backups are off.'}{' '}
            Each costs at most {usd(backups.backups[0]?.monthlyUsd ?? 0)}/month; hibernating or deleting the workspace deletes them with its instance.
          </p>
          {backups.note && <p className="note">{backups.note}</p>}
          <div className="field inline">
            <label htmlFor={`${id}-hour`}>Daily at (UTC)</label>
            <select id={`${id}-hour`} value={hour} onChange={(e) => setHour(e.target.value)} disabled={busy}>
              {HOURS.map((h) => (
                <option key={h}>{h}</option>
              ))}
            </select>
            <button type="button" className="primary" disabled={busy} onClick={() => void change(true)}>
              {backups.enabled ? 'Change hour' : 'Turn on daily backups'}
            </button>
            {backups.enabled && (
              <button type="button" disabled={busy} onClick={() => void change(false)}>
                Turn off
              </button>
            )}
          </div>
          {backups.backups.length > 0 ? (
            <table aria-label={`Backups of ${workspace.name}`}>
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Status</th>
                  <th>Per month, at most</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {backups.backups.map((b) => (
                  <tr key={b.date}>
                    <td>{b.date}</td>
                    <td>{b.status}</td>
                    <td>{usd(b.monthlyUsd)}</td>
                    <td>
                      <button type="button" disabled={b.status !== 'ready'} aria-label={`Restore ${workspace.name} to the ${b.date} backup in place`} onClick={() => setRestoring({ date: b.date, inPlace: true })}>
                        Restore in place…
                      </button>{' '}
                      <button type="button" disabled={b.status !== 'ready'} aria-label={`Restore the ${b.date} backup`} onClick={() => setRestoring({ date: b.date, inPlace: false })}>
                        Restore as new…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            !backups.note && <p>No backups yet.</p>
          )}
          {restoring && (
            <form onSubmit={(e) => void restore(e)} noValidate>
              {restoring.inPlace ? (
                <p className="warning">{`Restore ${workspace.name} to its ${restoring.date} backup in place? ${backups.inPlaceWarning ?? ''}`}</p>
              ) : (
                <div className="field">
                  <label htmlFor={`${id}-name`}>New workspace from the {restoring.date} backup</label>
                  <input id={`${id}-name`} value={newName} spellCheck={false} autoFocus onChange={(e) => setNewName(e.target.value)} />
                </div>
              )}
              <div className="dialog-buttons">
                <button type="button" onClick={() => setRestoring(undefined)}>
                  Cancel
                </button>
                <button type="submit" className="primary" disabled={!restoring.inPlace && newName === ''}>
                  {restoring.inPlace ? 'Restore in place' : 'Restore'}
                </button>
              </div>
            </form>
          )}
          <p className="field-error" role="alert">
            {problem ?? ''}
          </p>
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}

