import { useEffect, useState } from 'react';
import type { ActivityEntry, PortholeApi } from '../../shared/contract';

/** What happened, newest first: operations, their outcomes, changes nobody asked for. */
export function ActivityLog(props: { api: PortholeApi }) {
  const { api } = props;
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  useEffect(() => {
    void api.listActivity({}).then((loaded) => setEntries((current) => merge(current, loaded)));
    return api.on('activity', (entry) => setEntries((current) => merge(current, [entry])));
  }, [api]);
  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {entries.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <ol className="activity" reversed>
          {[...entries].reverse().map((entry) => (
            <li key={entry.id} className={`activity-${entry.level}`}>
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleTimeString()}</time> {entry.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function merge(current: ActivityEntry[], added: ActivityEntry[]): ActivityEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const entry of added) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-500);
}
