import { useCallback, useEffect, useRef, useState } from 'react';
import type { PortholeApi, SignInPrompt } from '../../shared/contract';
import { describeFailure } from '../api/contract-call-error';
import { expiryText } from '../account-format';
import { DeviceCode } from './device-code';
import { ModalDialog } from './modal-dialog';

type Phase = { kind: 'starting' } | { kind: 'waiting'; prompt: SignInPrompt } | { kind: 'done' } | { kind: 'failed'; message: string };

/**
 * IAM Identity Center sign-in: the core has opened the approval page in the
 * browser; the dialog shows the same link and the code to check there, waits
 * for the approval, then says how it went. Escape or Cancel gives it up.
 */
export function SignInDialog(props: { api: PortholeApi; account: string; started: Promise<SignInPrompt>; onRetry: () => void; onClose: () => void }) {
  const { api, account, started, onClose } = props;
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  useEffect(() => {
    let current = true;
    setPhase({ kind: 'starting' });
    started.then(
      (prompt) => current && setPhase((now) => (now.kind === 'starting' ? { kind: 'waiting', prompt } : now)),
      (error: unknown) => {
        const failure = describeFailure(error);
        if (current) setPhase({ kind: 'failed', message: `${failure.message}${failure.fix ? ` ${failure.fix}` : ''}` });
      },
    );
    const off = api.on('signInFinished', (finished) => {
      if (finished.account !== account) return;
      setPhase(finished.ok ? { kind: 'done' } : { kind: 'failed', message: finished.message ?? 'The sign-in did not complete.' });
    });
    return () => {
      current = false;
      off();
    };
  }, [api, account, started]);

  // Stable, so the modal is not closed and shown again (moving the focus) each time the phase changes.
  const cancelAndClose = useCallback(() => {
    const { kind } = phaseRef.current;
    if (kind === 'starting' || kind === 'waiting') void api.cancelSignIn({ account }).catch(() => {});
    onClose();
  }, [api, account, onClose]);

  return (
    <ModalDialog title={`Sign in to ${account}`} onClose={cancelAndClose}>
      <div className="sign-in" data-phase={phase.kind}>
        {phase.kind === 'starting' && <p role="status">Asking IAM Identity Center for a sign-in code…</p>}
        {phase.kind === 'waiting' && (
          <>
            <p>Your browser has opened the sign-in page. Check that it shows this code, then approve it:</p>
            <DeviceCode userCode={phase.prompt.userCode} verificationUri={phase.prompt.verificationUri} />
            <p className="help">The code works {expiryText(phase.prompt.expiresAt, new Date())}.</p>
            <p role="status">Waiting for your approval…</p>
          </>
        )}
        {phase.kind === 'done' && <p role="status">Signed in to {account}. Porthole checks its workspaces again.</p>}
        {phase.kind === 'failed' && (
          <p className="error" role="alert">
            {phase.message}
          </p>
        )}
      </div>
      <div className="dialog-buttons">
        {phase.kind === 'failed' && (
          <button type="button" onClick={props.onRetry}>
            Try again
          </button>
        )}
        {phase.kind === 'done' || phase.kind === 'failed' ? (
          <button type="button" className="primary" autoFocus onClick={onClose}>
            Close
          </button>
        ) : (
          <button type="button" autoFocus onClick={cancelAndClose}>
            Cancel
          </button>
        )}
      </div>
    </ModalDialog>
  );
}
