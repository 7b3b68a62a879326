import { useEffect, useState } from 'react';
import type { AccountIdentityView, AccountOption, PortholeApi } from '../../shared/contract';
import { describeFailure } from '../api/contract-call-error';
import { expiryText, roleFromArn } from '../account-format';

type Lookup = { kind: 'asking' } | { kind: 'known'; identity: AccountIdentityView } | { kind: 'failed'; message: string };

const HEALTH_WORDS: Record<AccountOption['health'], string> = { ok: 'Signed in', expired: 'Sign-in needed', unknown: 'Not checked' };

/**
 * Each account with its health and who it is to AWS (account id, role,
 * how long the credentials last), asked of STS when the section opens and
 * again with "Check". SSO profiles can be signed in to from here.
 */
export function AccountList(props: { api: PortholeApi; accounts: AccountOption[]; onSignIn: (account: string) => void; onChecked: () => void }) {
  const { api, accounts, onChecked } = props;
  const [lookups, setLookups] = useState<Record<string, Lookup>>({});
  const now = new Date();

  const check = (account: string) => {
    setLookups((current) => ({ ...current, [account]: { kind: 'asking' } }));
    api
      .whoAmI({ account })
      .then(
        (identity) => setLookups((current) => ({ ...current, [account]: { kind: 'known', identity } })),
        (error: unknown) => {
          const failure = describeFailure(error);
          setLookups((current) => ({ ...current, [account]: { kind: 'failed', message: `${failure.message}${failure.fix ? ` ${failure.fix}` : ''}` } }));
        },
      )
      // The core now knows the account's health from the answer.
      .finally(onChecked);
  };

  const profiles = accounts.filter((a) => a.kind === 'aws-profile').map((a) => a.name);
  const profileKey = profiles.join('\n');
  useEffect(() => {
    for (const name of profileKey ? profileKey.split('\n') : []) check(name);
    // Asked once per set of profiles; "Check" asks again.
  }, [profileKey]);

  return (
    <table className="accounts" aria-label="Accounts">
      <thead>
        <tr>
          <th scope="col">Account</th>
          <th scope="col">Status</th>
          <th scope="col">AWS account</th>
          <th scope="col">Role</th>
          <th scope="col">Credentials</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((account) => {
          const lookup = lookups[account.name];
          const identity = lookup?.kind === 'known' ? lookup.identity : account.identity;
          const health = account.kind === 'sandbox' ? 'ok' : account.health;
          return (
            <tr key={account.name} data-account={account.name} data-health={health}>
              <th scope="row">
                {account.kind === 'sandbox' ? 'Sandbox' : account.name}
                {account.active && <span className="help"> (active)</span>}
              </th>
              <td className={`health health-${health}`}>{account.kind === 'sandbox' ? 'No sign-in needed' : HEALTH_WORDS[health]}</td>
              {account.kind === 'sandbox' ? (
                <td colSpan={3}>lightsail-local on this computer</td>
              ) : lookup?.kind === 'failed' && !identity ? (
                <td colSpan={3} className="error">
                  {lookup.message}
                </td>
              ) : (
                <>
                  <td className="number">{identity?.accountId ?? (lookup?.kind === 'asking' ? 'asking…' : '—')}</td>
                  <td>{identity ? roleFromArn(identity.arn) : '—'}</td>
                  <td>{identity ? expiryText(identity.expiresAt, now) : '—'}</td>
                </>
              )}
              <td className="account-actions">
                {account.kind === 'aws-profile' && (
                  <button type="button" aria-label={`Check ${account.name}`} onClick={() => check(account.name)}>
                    Check
                  </button>
                )}
                {account.signInKind === 'sso' && (
                  <button type="button" aria-label={`Sign in to ${account.name}`} onClick={() => props.onSignIn(account.name)}>
                    Sign in
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
