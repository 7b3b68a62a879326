import { useCallback, useEffect, useId, useState } from 'react';
import type { CommandLineToolFolderState, CommandLineToolState, PortholeApi } from '../../shared/contract';
import { describeFailure } from '../api/contract-call-error';
import { ModalDialog } from './modal-dialog';

/**
 * Settings' "Install command line tool", as VS Code has for `code`: links
 * `porthole` into ~/.local/bin (or, asked first, the folder every user
 * shares), says where and whether it is on PATH, and takes it away again.
 */
export function CommandLineToolSection(props: { api: PortholeApi }) {
  const { api } = props;
  const id = useId();
  const [state, setState] = useState<CommandLineToolState>();
  const [asking, setAsking] = useState<CommandLineToolFolderState>();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ error: boolean; text: string }>();

  const reload = useCallback(() => api.getCommandLineTool().then(setState, (error: unknown) => setSaid({ error: true, text: describeFailure(error).message })), [api]);
  useEffect(() => void reload(), [reload]);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setSaid({ error: false, text: await work() });
    } catch (error) {
      const failure = describeFailure(error);
      setSaid({ error: true, text: `${failure.message}${failure.fix ? ` ${failure.fix}` : ''}` });
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const install = (folder: CommandLineToolFolderState) => run(async () => (await api.installCommandLineTool({ folder: folder.folder })).message);
  const uninstall = () => run(async () => (await api.uninstallCommandLineTool()).message);

  if (!state) return null;
  const user = state.folders.find((f) => f.folder === 'user');
  const system = state.folders.find((f) => f.folder === 'system');
  const installed = state.folders.filter((f) => f.occupant === 'current');
  return (
    <section className="field command-line-tool" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Command line tool</h3>
      <p>
        {installed.length > 0
          ? `The porthole command is installed: ${installed.map((f) => f.path).join(' and ')}.`
          : 'Install the porthole command to use Porthole from a terminal (porthole ls, porthole ssh NAME…).'}
      </p>
      <div className="dialog-buttons">
        {user && (
          <button type="button" disabled={busy} onClick={() => void install(user)}>
            Install command line tool
          </button>
        )}
        {system && (
          <button type="button" disabled={busy} onClick={() => setAsking(system)}>
            Install for every user ({system.dir})…
          </button>
        )}
        <button type="button" disabled={busy || !state.folders.some((f) => f.occupant === 'current' || f.occupant === 'stale')} onClick={() => void uninstall()}>
          Uninstall command line tool
        </button>
      </div>
      <p className="status" role="status" aria-label="Command line tool">
        {said && <span className={said.error ? 'error' : undefined}>{said.text}</span>}
      </p>
      {asking && (
        <ModalDialog title={`Install porthole in ${asking.dir}?`} onClose={() => setAsking(undefined)}>
          <p>{asking.confirm}</p>
          <div className="dialog-buttons">
            <button type="button" onClick={() => setAsking(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              onClick={() => {
                setAsking(undefined);
                void install(asking);
              }}
            >
              Install for every user
            </button>
          </div>
        </ModalDialog>
      )}
    </section>
  );
}
