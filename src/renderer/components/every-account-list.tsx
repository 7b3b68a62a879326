import { useCallback, useEffect, useState } from 'react';
import type { EveryAccountListing, PortholeApi, WorkspaceRef } from '../../shared/contract';
import type { Workspace } from '../../shared/workspace';
import { describeFailure } from '../api/contract-call-error';
import { usd } from '../format';

type Loaded = { kind: 'loading' } | { kind: 'loaded'; listing: EveryAccountListing } | { kind: 'failed'; message: string };

type RowAction = { label: string; allowed: (w: Workspace) => boolean; run: (api: PortholeApi, ref: WorkspaceRef) => Promise<unknown> };

/** What a row offers, by state, as the tray and the workspace list allow it. */
const ROW_ACTIONS: readonly RowAction[] = [
  { label: 'Open', allowed: (w) => w.state === 'ready', run: (api, ref) => api.openWorkspace(ref) },
  { label: 'Start', allowed: (w) => w.state === 'stopped', run: (api, ref) => api.startWorkspace(ref) },
  { label: 'Stop', allowed: (w) => w.state === 'ready' || w.state === 'provisioning' || w.state === 'error', run: (api, ref) => api.stopWorkspace(ref) },
  { label: 'Hibernate', allowed: (w) => w.state === 'ready' || w.state === 'stopped', run: (api, ref) => api.hibernateWorkspace(ref) },
  { label: 'Copy password', allowed: (w) => w.hasPassword, run: (api, ref) => api.copyPassword(ref) },
];

const keyOf = (w: { account: string; region: string; name: string }) => `${w.account}/${w.region}/${w.name}`;

/**
 * Every enabled account's workspaces in one table, for a person with
 * several AWS accounts (and the Sandbox), kept current by each account's
 * own poller. Each row acts on its workspace in its own account without
 * switching; the button beside each account switches to it.
 */
export function EveryAccountList(props: { api: PortholeApi; activeAccount: string; onUseAccount: (account: string) => void }) {
  const { api, activeAccount, onUseAccount } = props;
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [problem, setProblem] = useState<string | undefined>();
  const load = useCallback(() => {
    setLoaded({ kind: 'loading' });
    api.listEveryAccount().then(
      (listing) => setLoaded({ kind: 'loaded', listing }),
      (error: unknown) => setLoaded({ kind: 'failed', message: describeFailure(error).message }),
    );
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => {
    const update = (change: (workspaces: Workspace[]) => Workspace[]) =>
      setLoaded((current) => (current.kind === 'loaded' ? { kind: 'loaded', listing: { ...current.listing, workspaces: change(current.listing.workspaces) } } : current));
    const offChanged = api.on('workspaceChanged', ({ workspace }) =>
      update((workspaces) => (workspaces.some((w) => keyOf(w) === keyOf(workspace)) ? workspaces.map((w) => (keyOf(w) === keyOf(workspace) ? workspace : w)) : [...workspaces, workspace])),
    );
    const offRemoved = api.on('workspaceRemoved', (gone) => update((workspaces) => workspaces.filter((w) => keyOf(w) !== keyOf(gone))));
    return () => {
      offChanged();
      offRemoved();
    };
  }, [api]);
  const act = (action: RowAction, w: Workspace) => {
    setProblem(undefined);
    action.run(api, { name: w.name, region: w.region, account: w.account }).catch((error: unknown) => {
      const failure = describeFailure(error);
      setProblem(`${action.label} ${w.name} (${w.account}) failed: ${failure.message}${failure.fix ? ` ${failure.fix}` : ''}`);
    });
  };

  return (
    <section aria-labelledby="every-account-title" className="workspaces-section">
      <div className="toolbar">
        <h2 id="every-account-title">All accounts</h2>
        <p className="summary">{summary(loaded)}</p>
        <button type="button" onClick={load} disabled={loaded.kind === 'loading'}>
          Refresh
        </button>
      </div>
      {loaded.kind === 'failed' && <p className="error">{loaded.message}</p>}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {loaded.kind === 'loaded' && (
        <>
          <ul className="every-account-status" aria-label="Accounts listed">
            {loaded.listing.accounts.map((account) => (
              <li key={account.name} data-account={account.name}>
                <strong>{account.name}</strong>{' '}
                <span>{account.listed ? `${account.count} workspace${account.count === 1 ? '' : 's'}` : <span className="error">could not be listed: {account.message}{account.fix ? ` ${account.fix}` : ''}</span>}</span>
                {account.name === activeAccount ? (
                  <span className="help"> (active)</span>
                ) : (
                  <button type="button" onClick={() => onUseAccount(account.name)}>
                    Use {account.name}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {loaded.listing.workspaces.length > 0 && (
            <table className="every-account" aria-label="Workspaces of every account">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Region</th>
                  <th scope="col">Bundle</th>
                  <th scope="col" className="number">
                    Per month
                  </th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {loaded.listing.workspaces.map((w) => (
                  <tr key={`${w.account}/${w.region}/${w.name}`} data-account={w.account} data-workspace={w.name} data-state={w.state}>
                    <td>{w.account}</td>
                    <th scope="row">{w.name}</th>
                    <td>{w.state}</td>
                    <td>{w.region}</td>
                    <td>{w.bundleId}</td>
                    <td className="number">{usd(w.cost.monthlyUsd)}</td>
                    <td className="actions">
                      {ROW_ACTIONS.map((action) => (
                        <button key={action.label} type="button" disabled={!action.allowed(w)} aria-label={`${action.label} ${w.name} in ${w.account}`} onClick={() => act(action, w)}>
                          {action.label}
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function summary(loaded: Loaded): string {
  if (loaded.kind === 'loading') return 'Asking every account…';
  if (loaded.kind === 'failed') return 'Could not list the accounts.';
  const { workspaces, accounts } = loaded.listing;
  const monthly = workspaces.reduce((sum, w) => sum + w.cost.monthlyUsd, 0);
  return `${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'} in ${accounts.length} account${accounts.length === 1 ? '' : 's'}, ${usd(monthly)} a month`;
}
