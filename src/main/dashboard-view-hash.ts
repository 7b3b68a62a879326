import { DASHBOARD_VIEW_HASHES, type DashboardView } from '../shared/contract.js';
import type { LogViewTarget } from '../shared/workspace-log.js';

/** The hash a new dashboard window opens on: `new-workspace`, or `logs?name=demo&source=provision&step=3` for the log viewer. */
export function dashboardViewHash(view: DashboardView, logs?: LogViewTarget): string {
  if (view !== 'logs' || !logs) return DASHBOARD_VIEW_HASHES[view];
  const query = new URLSearchParams({ name: logs.name });
  if (logs.region) query.set('region', logs.region);
  if (logs.account) query.set('account', logs.account);
  if (logs.source) query.set('source', logs.source);
  if (logs.step !== undefined) query.set('step', String(logs.step));
  return `${DASHBOARD_VIEW_HASHES.logs}?${query.toString()}`;
}
