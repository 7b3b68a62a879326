import { DASHBOARD_VIEW_HASHES } from '../shared/contract';
import type { LogSource, LogViewTarget } from '../shared/workspace-log';

const SOURCES: readonly LogSource[] = ['provision', 'code-server', 'idle', 'system'];

/** The log viewer a `#logs?name=demo&source=provision&step=3` address asks for (the tray's Show logs, a failed launch's notification); undefined for any other. */
export function logViewTargetOf(hash: string): LogViewTarget | undefined {
  const prefix = `#${DASHBOARD_VIEW_HASHES.logs}?`;
  if (!hash.startsWith(prefix)) return undefined;
  const query = new URLSearchParams(hash.slice(prefix.length));
  const name = query.get('name');
  if (!name) return undefined;
  const region = query.get('region');
  const account = query.get('account');
  const source = query.get('source');
  const step = Number(query.get('step') ?? Number.NaN);
  return {
    name,
    ...(region ? { region } : {}),
    ...(account ? { account } : {}),
    ...(source && (SOURCES as readonly string[]).includes(source) ? { source: source as LogSource } : {}),
    ...(Number.isInteger(step) && step > 0 ? { step } : {}),
  };
}
