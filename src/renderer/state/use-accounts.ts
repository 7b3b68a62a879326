import { useCallback, useEffect, useState } from 'react';
import type { AccountOption, PortholeApi } from '../../shared/contract';

export interface AccountProblem {
  message?: string;
  fix?: string;
}

/**
 * The accounts with their health, kept current: listed again whenever the
 * core says an account's credentials changed, a sign-in ended or the
 * settings (the active account) changed. The last problem the core gave for
 * each account is kept for the banner.
 */
export function useAccounts(api: PortholeApi): { accounts: AccountOption[]; problems: Record<string, AccountProblem>; reload: () => void } {
  const [accounts, setAccounts] = useState<AccountOption[]>([]);
  const [problems, setProblems] = useState<Record<string, AccountProblem>>({});
  const reload = useCallback(() => {
    api.listAccounts().then(setAccounts, () => {});
  }, [api]);
  useEffect(() => {
    reload();
    const off = [
      api.on('accountHealth', ({ account, health, message, fix }) => {
        setProblems((current) => ({ ...current, [account]: health === 'expired' ? { ...(message ? { message } : {}), ...(fix ? { fix } : {}) } : {} }));
        reload();
      }),
      api.on('signInFinished', reload),
      api.on('settingsChanged', reload),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [api, reload]);
  return { accounts, problems, reload };
}
