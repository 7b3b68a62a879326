import type { AccountOption } from '../../shared/contract';
import type { AccountProblem } from '../state/use-accounts';

/**
 * Across the top while the active account's credentials are refused: checking
 * for changes is paused until a sign-in, and the button starts one.
 */
export function AccountBanner(props: { account: AccountOption; problem?: AccountProblem; onSignIn: (account: string) => void }) {
  const { account, problem } = props;
  const canSignIn = account.signInKind === 'sso';
  return (
    <div className="banner banner-error" role="alert" aria-labelledby="account-banner-title">
      <div>
        <strong id="account-banner-title">Sign-in needed for {account.name}</strong>
        <p>
          {problem?.message ?? 'Its AWS credentials have expired or are missing.'} Porthole has paused checking its workspaces until then.
          {!canSignIn && problem?.fix ? ` ${problem.fix}` : ''}
        </p>
      </div>
      {canSignIn && (
        <button type="button" className="primary" onClick={() => props.onSignIn(account.name)}>
          Sign in
        </button>
      )}
    </div>
  );
}
