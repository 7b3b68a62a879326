import type { Notice } from '../../shared/contract';

export interface ShownNotice extends Notice {
  id: number;
}

/** Short messages in a live region, so a screen reader hears them too; each can be dismissed. */
export function Notices(props: { notices: ShownNotice[]; onDismiss: (id: number) => void; onSignIn?: (account: string) => void }) {
  return (
    <div className="notices" aria-live="polite" aria-relevant="additions">
      {props.notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
          <strong>{notice.title}</strong>
          <span>{notice.message}</span>
          {notice.action?.kind === 'signIn' && props.onSignIn && (
            <button
              type="button"
              className="notice-action"
              onClick={() => {
                props.onSignIn?.(notice.action!.account);
                props.onDismiss(notice.id);
              }}
            >
              Sign in
            </button>
          )}
          <button type="button" aria-label={`Dismiss: ${notice.title}`} onClick={() => props.onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
