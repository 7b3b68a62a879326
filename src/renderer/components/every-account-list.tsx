import { useCallback, useEffect, useState } from 'react';
import type { EveryAccountListing, PortholeApi } from '../../shared/contract';
import { describeFailure } from '../api/contract-call-error';
import { usd } from '../format';

type Loaded = { kind: 'loading' } | { kind: 'loaded'; listing: EveryAccountListing } | { kind: 'failed'; message: string };

/**
 * Every enabled account's workspaces in one table, for a person with
 * several AWS accounts (and the Sandbox). It is a look: acting on a
 * workspace means switching to its account, which the button beside each
 * account does.
 */
export function EveryAccountList(props: { api: PortholeApi; activeAccount: string; onUseAccount: (account: string) => void }) {
  const { api, activeAccount, onUseAccount } = props;
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const load = useCallback(() => {
    setLoaded({ kind: 'loading' });
    api.listEveryAccount().then(
      (listing) => setLoaded({ kind: 'loaded', listing }),
      (error: unknown) => setLoaded({ kind: 'failed', message: describeFailure(error).message }),
    );
  }, [api]);
  useEffect(load, [load]);

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
