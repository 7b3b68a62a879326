import { useEffect, useState } from 'react';
import type { AwsSignInPromptView, PortholeApi } from '../../shared/contract';
import { AWS_SIGN_IN_LABEL, type Workspace } from '../../shared/workspace';
import { describeFailure } from '../api/contract-call-error';
import { DeviceCode } from './device-code';
import { ModalDialog } from './modal-dialog';

type Phase = { kind: 'starting' } | { kind: 'waiting'; prompt: AwsSignInPromptView } | { kind: 'done'; profile: string } | { kind: 'failed'; message: string };

/**
 * "Sign in to AWS on this workspace": the workspace's own AWS CLI has
 * started the sign-in and the browser shows the approval page; the dialog
 * shows the code to check there, then how it went. The token stays on the
 * workspace; only the code reaches this page.
 */
export function AwsSignInDialog(props: { api: PortholeApi; workspace: Workspace; onClose: () => void }) {
  const { api, workspace, onClose } = props;
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });

  useEffect(() => {
    let current = true;
    const off = api.on('awsSignInFinished', (finished) => {
      if (finished.name !== workspace.name || finished.region !== workspace.region) return;
      setPhase(finished.ok ? { kind: 'done', profile: finished.profile } : { kind: 'failed', message: finished.message ?? 'The sign-in did not complete.' });
    });
    api.signInToAws({ name: workspace.name, region: workspace.region, account: workspace.account }).then(
      (prompt) => current && setPhase((now) => (now.kind === 'starting' ? { kind: 'waiting', prompt } : now)),
      (error: unknown) => {
        const failure = describeFailure(error);
        if (current) setPhase({ kind: 'failed', message: `${failure.message}${failure.fix ? ` ${failure.fix}` : ''}` });
      },
    );
    return () => {
      current = false;
      off();
    };
  }, [api, workspace.name, workspace.region, workspace.account]);

  return (
    <ModalDialog title={`${AWS_SIGN_IN_LABEL}: ${workspace.name}`} onClose={onClose}>
      <div className="sign-in" data-phase={phase.kind}>
        {phase.kind === 'starting' && <p role="status">The workspace is asking IAM Identity Center for a sign-in code…</p>}
        {phase.kind === 'waiting' && (
          <>
            <p>Your browser has opened the sign-in page for {workspace.name} ({phase.prompt.profile}). Check that it shows this code, then approve it:</p>
            <DeviceCode userCode={phase.prompt.userCode} verificationUri={phase.prompt.verificationUri} />
            <p role="status">Waiting for your approval…</p>
          </>
        )}
        {phase.kind === 'done' && (
          <p role="status">
            {workspace.name} is signed in to AWS as {phase.profile}. Its token stays on the workspace.
          </p>
        )}
        {phase.kind === 'failed' && (
          <p className="error" role="alert">
            {phase.message}
          </p>
        )}
      </div>
      <div className="dialog-buttons">
        <button type="button" className="primary" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
