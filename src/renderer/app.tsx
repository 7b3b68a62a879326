import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { DASHBOARD_VIEW_HASHES, type Notice, type PortholeApi, type SignInPrompt } from '../shared/contract';
import type { CreateWorkspaceRequest } from '../shared/create-catalog';
import type { Workspace } from '../shared/workspace';
import type { LogViewTarget } from '../shared/workspace-log';
import { describeFailure } from './api/contract-call-error';
import { AccountBanner } from './components/account-banner';
import { ActivityLog } from './components/activity-log';
import { BackupsDialog } from './components/backups-dialog';
import { BakeDialog } from './components/bake-dialog';
import { ConfirmDialog, type Confirmation } from './components/confirm-dialog';
import { CreateWizard } from './components/create-wizard';
import { EveryAccountList } from './components/every-account-list';
import { LogViewer } from './components/log-viewer';
import { Notices, type ShownNotice } from './components/notices';
import { PortsPanel } from './components/ports-panel';
import { SettingsPanel } from './components/settings-panel';
import { SignInDialog } from './components/sign-in-dialog';
import { AwsSignInDialog } from './components/aws-sign-in-dialog';
import type { WorkspaceAction } from './components/workspace-actions';
import { WorkspaceTable } from './components/workspace-table';
import { usd } from './format';
import { logViewTargetOf } from './log-view-target';
import { useAccounts } from './state/use-accounts';
import { WorkspaceStore } from './state/workspace-store';

type Tab = 'workspaces' | 'every-account' | 'activity' | 'settings';
const TABS: Array<[Tab, string]> = [
  ['workspaces', 'Workspaces'],
  ['every-account', 'All accounts'],
  ['activity', 'Activity'],
  ['settings', 'Settings'],
];
const NOTICE_MS = 8_000;

export function App(props: { api: PortholeApi }) {
  const { api } = props;
  const store = useMemo(() => new WorkspaceStore(api), [api]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [tab, setTab] = useState<Tab>('workspaces');
  // The tray's "New workspace…" opens the dashboard on #new-workspace, or asks an open one with showView.
  const wizardAsked = () => window.location.hash === `#${DASHBOARD_VIEW_HASHES.createWizard}`;
  const [creating, setCreating] = useState(wizardAsked);
  // The tray's "Show logs" and a failed launch's notification open the viewer the same way, on #logs?name=….
  const [viewingLogs, setViewingLogs] = useState<LogViewTarget | undefined>(() => logViewTargetOf(window.location.hash));
  useEffect(
    () =>
      api.on('showView', ({ view, logs }) => {
        setCreating(view === 'createWizard');
        if (view === 'logs' && logs) setViewingLogs(logs);
      }),
    [api],
  );
  useEffect(() => {
    const follow = () => {
      if (wizardAsked()) setCreating(true);
      const logs = logViewTargetOf(window.location.hash);
      if (logs) setViewingLogs(logs);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  // A reload should show the list, not the wizard or the viewer again.
  const forgetView = () => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  };
  const closeWizard = useCallback(() => {
    setCreating(false);
    forgetView();
  }, []);
  const closeLogs = useCallback(() => {
    setViewingLogs(undefined);
    forgetView();
  }, []);
  const [confirmation, setConfirmation] = useState<Confirmation>();
  const [baking, setBaking] = useState<Workspace>();
  const [backingUp, setBackingUp] = useState<Workspace>();
  const [signingInToAws, setSigningInToAws] = useState<Workspace>();
  const [notices, setNotices] = useState<ShownNotice[]>([]);
  const { accounts, problems, reload: reloadAccounts } = useAccounts(api);
  const [signingIn, setSigningIn] = useState<{ account: string; started: Promise<SignInPrompt> }>();
  // Begun on the click itself, so the dialog only shows how it goes.
  const signIn = useCallback(
    (account: string) => {
      const started = api.signIn({ account });
      started.catch(() => {}); // the dialog shows the refusal
      setSigningIn({ account, started });
    },
    [api],
  );
  const closeSignIn = useCallback(() => setSigningIn(undefined), []);
  const activeAccount = accounts.find((a) => a.active);

  const notify = useCallback((notice: Notice) => {
    const id = Date.now() + Math.random();
    setNotices((current) => [...current.slice(-4), { ...notice, id }]);
    setTimeout(() => setNotices((current) => current.filter((n) => n.id !== id)), NOTICE_MS);
  }, []);
  useEffect(() => api.on('notice', notify), [api, notify]);

  const run = useCallback(
    (label: string, call: () => Promise<unknown>) => {
      call().catch((error: unknown) => {
        const failure = describeFailure(error);
        notify({ level: 'error', title: `${label} failed`, message: `${failure.message}${failure.fix ? ` ${failure.fix}` : ''}` });
      });
    },
    [notify],
  );

  const onAction = useCallback(
    (action: WorkspaceAction, workspace: Workspace) => {
      const ref = { name: workspace.name, region: workspace.region };
      switch (action) {
        case 'delete':
        case 'hibernate':
          setConfirmation({ kind: action, workspace });
          return;
        case 'backups':
          setBackingUp(workspace);
          return;
        case 'bake':
          setBaking(workspace);
          return;
        case 'logs':
          // A failed launch opens at its failed step, in the provisioning log alone.
          setViewingLogs({
            ...ref,
            ...(workspace.state === 'error' && workspace.failedStep ? { source: 'provision' as const, step: workspace.failedStep.index } : {}),
          });
          return;
        case 'exportDiagnostics':
          return run(`Exporting the diagnostics of ${workspace.name}`, async () => {
            const exported = await api.exportDiagnostics(ref);
            const removed = 'passwords, keys and tokens removed';
            if (exported.saved === 'file') {
              notify({ level: 'success', title: 'Diagnostics saved', message: `${exported.path}: ${exported.files.length} files, ${removed}.` });
            } else if (exported.saved === 'download') {
              downloadFile(exported.url, exported.fileName);
              notify({ level: 'success', title: 'Diagnostics downloaded', message: `${exported.fileName}, in your browser's downloads: ${exported.files.length} files, ${removed}.` });
            }
          });
        case 'signInToAws':
          setSigningInToAws(workspace);
          return;
        case 'open':
          return run(`Opening ${workspace.name}`, () => api.openWorkspace(ref));
        case 'openInBrowser':
          return run(`Opening ${workspace.name}`, () => api.openInBrowser(ref));
        case 'openInVsCode':
          return run(`Opening ${workspace.name} in VS Code`, async () => {
            const { host, sshConfigWritten } = await api.openInVsCode(ref);
            if (sshConfigWritten) notify({ level: 'success', title: 'SSH entry written', message: `VS Code reaches ${workspace.name} as ${host}, now in ~/.ssh/porthole/config.` });
          });
        case 'start':
          return run(`Starting ${workspace.name}`, () => api.startWorkspace(ref));
        case 'stop':
          return run(`Stopping ${workspace.name}`, () => api.stopWorkspace(ref));
        case 'reboot':
          return run(`Rebooting ${workspace.name}`, () => api.rebootWorkspace(ref));
        case 'resume':
          return run(`Resuming ${workspace.name}`, () => api.resumeWorkspace(ref));
        case 'copyPassword':
          return run(`Copying the password of ${workspace.name}`, async () => {
            await api.copyPassword(ref);
            notify({ level: 'success', title: 'Password copied', message: `The password of ${workspace.name} is on the clipboard.` });
          });
      }
    },
    [api, run, notify],
  );

  const confirm = (options: { keepSnapshots?: boolean; releaseIp?: boolean }) => {
    if (!confirmation) return;
    const { workspace, kind } = confirmation;
    const ref = { name: workspace.name, region: workspace.region };
    setConfirmation(undefined);
    if (kind === 'delete') run(`Deleting ${workspace.name}`, () => api.deleteWorkspace({ ...ref, keepSnapshots: options.keepSnapshots ?? false }));
    else run(`Hibernating ${workspace.name}`, () => api.hibernateWorkspace({ ...ref, releaseIp: options.releaseIp ?? false }));
  };

  const onStarted = useCallback(
    (request: CreateWorkspaceRequest, done: Promise<unknown>) => run(`Creating ${request.name}`, () => done),
    [run],
  );

  const monthly = snapshot.workspaces.reduce((sum, w) => sum + w.cost.monthlyUsd, 0);
  return (
    <div className="app">
      <header className="top">
        <h1>Porthole</h1>
        <nav aria-label="Sections">
          {/* "All accounts" only means something with more than one enabled account. */}
          {TABS.filter(([key]) => key !== 'every-account' || accounts.length > 1).map(([key, label]) => (
            <button key={key} type="button" aria-current={tab === key ? 'page' : undefined} onClick={() => setTab(key)}>
              {label}
            </button>
          ))}
        </nav>
        <span className="account" aria-label="Active account">
          {snapshot.account || '…'}
        </span>
      </header>
      {activeAccount?.health === 'expired' && <AccountBanner account={activeAccount} problem={problems[activeAccount.name]} onSignIn={signIn} />}
      <main>
        {tab === 'workspaces' && (
          <section aria-labelledby="workspaces-title" className="workspaces-section">
            <div className="toolbar">
              <h2 id="workspaces-title">Workspaces</h2>
              <p className="summary">
                {snapshot.loaded ? `${snapshot.workspaces.length} workspace${snapshot.workspaces.length === 1 ? '' : 's'}, ${usd(monthly)} a month` : 'Loading…'}
              </p>
              <button type="button" onClick={() => run('Refreshing', () => api.refreshWorkspaces())}>
                Refresh
              </button>
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                New workspace…
              </button>
            </div>
            {snapshot.loaded && snapshot.workspaces.length === 0 ? (
              <p className="empty">No workspaces yet. Make one with “New workspace…”.</p>
            ) : (
              <WorkspaceTable workspaces={snapshot.workspaces} onAction={onAction} />
            )}
            {snapshot.workspaces
              .filter((w) => w.state === 'ready' && w.accessMode === 'tunnel')
              .map((w) => (
                <PortsPanel key={`${w.region}/${w.name}`} api={api} workspace={w} run={run} />
              ))}
          </section>
        )}
        {tab === 'every-account' && (
          <EveryAccountList
            api={api}
            activeAccount={snapshot.account}
            onUseAccount={(name) =>
              run(`Switching to ${name}`, async () => {
                await api.useAccount({ name });
                reloadAccounts();
                setTab('workspaces');
              })
            }
          />
        )}
        {tab === 'activity' && <ActivityLog api={api} />}
        {tab === 'settings' && <SettingsPanel api={api} accounts={accounts} onAccountsChanged={reloadAccounts} onSignIn={signIn} />}
      </main>
      {creating && <CreateWizard api={api} onClose={closeWizard} onStarted={onStarted} />}
      {backingUp && (
        <BackupsDialog api={api} workspace={backingUp} onClose={() => setBackingUp(undefined)} onRestoreStarted={(name, done) => run(`Restoring ${name}`, () => done)} />
      )}
      {baking && (
        <BakeDialog api={api} workspace={baking} onClose={() => setBaking(undefined)} onStarted={(image, done) => run(`Baking ${image}`, () => done)} />
      )}
      {viewingLogs && (
        <LogViewer
          key={`${viewingLogs.account ?? ''}/${viewingLogs.region ?? ''}/${viewingLogs.name}/${viewingLogs.step ?? ''}`}
          api={api}
          target={viewingLogs}
          onClose={closeLogs}
        />
      )}
      {signingInToAws && <AwsSignInDialog api={api} workspace={signingInToAws} onClose={() => setSigningInToAws(undefined)} />}
      {signingIn && <SignInDialog api={api} account={signingIn.account} started={signingIn.started} onRetry={() => signIn(signingIn.account)} onClose={closeSignIn} />}
      {confirmation && <ConfirmDialog confirmation={confirmation} onCancel={() => setConfirmation(undefined)} onConfirm={confirm} />}
      <Notices notices={notices} onDismiss={(id) => setNotices((current) => current.filter((n) => n.id !== id))} onSignIn={signIn} />
    </div>
  );
}

/** Hands a file the core offered (a diagnostics archive under `porthole ui`) to the browser's downloads. */
function downloadFile(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
