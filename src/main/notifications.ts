import { Notification } from 'electron';
import type { DashboardService } from '../core/app/dashboard-service.js';
import { NotificationPolicy, type DesktopNotification, type NotificationTarget, type WorkspaceTarget } from '../core/notify/notification-policy.js';
import type { SettingsStore } from '../core/settings/settings-store.js';
import type { LogViewTarget } from '../shared/workspace-log.js';
import { openOutside } from './web-contents-guard.js';

/** How often the list is reviewed for reminders (a kept static IP); the policy decides how often one is shown. */
const REVIEW_EVERY_MS = 10 * 60_000;

export interface NotificationWindows {
  /** Whether the user is looking at this workspace: its editor window or the dashboard has the focus. */
  isWatching(ref: WorkspaceTarget): boolean;
  showDashboard(view?: 'logs', logs?: LogViewTarget): void;
}

/**
 * Desktop notifications as the core's policy decides them, from the
 * engine's events; a click opens the workspace, the dashboard, or a sign-in.
 * Returns what stops them.
 */
export function showNotifications(service: DashboardService, settings: SettingsStore, windows: NotificationWindows): () => void {
  const policy = new NotificationPolicy({
    choices: () => settings.get().notifications,
    isWatching: (ref) => windows.isWatching(ref),
    now: Date.now,
    enabledAccounts: () => settings.get().accounts.filter((a) => a.enabled !== false).length,
  });
  // Electron forgets a notification's click handler once nothing holds it.
  const shown = new Set<Notification>();

  const go = (target: NotificationTarget) => {
    if ('openUrl' in target) {
      openOutside(target.openUrl);
    } else if ('signIn' in target) {
      windows.showDashboard();
      void service.handlers.signIn({ account: target.signIn }).catch(() => undefined);
    } else if ('awsSignIn' in target) {
      // The approval page opens with the code filled in; a refusal shows in the dashboard's activity log.
      void service.handlers.signInToAws(target.awsSignIn).catch(() => windows.showDashboard());
    } else if (target.open === 'logs') {
      windows.showDashboard('logs', target.target);
    } else if (target.open === 'workspace') {
      void service.handlers.openWorkspace(target.ref).catch(() => windows.showDashboard());
    } else {
      windows.showDashboard();
    }
  };

  const show = (wanted: DesktopNotification) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: wanted.title,
      body: wanted.body,
      urgency: wanted.urgency,
      ...(wanted.action ? { actions: [{ type: 'button' as const, text: wanted.action.label }] } : {}),
    });
    shown.add(notification);
    notification.on('click', () => go(wanted.target));
    notification.on('action', () => go(wanted.action?.target ?? wanted.target));
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };

  const unsubscribe = service.onWorkspaceEvent((event) => {
    try {
      for (const wanted of policy.onEvent(event)) show(wanted);
    } catch (error) {
      console.error('A notification could not be shown:', error);
    }
  });
  const unsubscribePorts = service.onPortReady((ready) => policy.portReady(ready).forEach(show));
  const review = () =>
    void service.handlers
      .listWorkspaces()
      .then((workspaces) => policy.review(workspaces).forEach(show))
      .catch(() => undefined);
  review();
  const timer = setInterval(review, REVIEW_EVERY_MS);
  return () => {
    unsubscribe();
    unsubscribePorts();
    clearInterval(timer);
  };
}
