import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` shortly after the operations journal at `path` changes
 * on disk, whichever Porthole process wrote it: an operation begun from
 * another terminal is then seen at once instead of at the next steady poll.
 * Watches the folder, since every write replaces the file. Returns the stop.
 */
export function watchJournal(path: string, onChange: () => void, settleMs = 100): () => void {
  const file = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), (_event, changed) => {
    if (changed !== file) return;
    // One operation writes the journal several times in a row: one call for the burst.
    clearTimeout(timer);
    timer = setTimeout(onChange, settleMs);
  });
  // A folder that cannot be watched any more only loses the early notice; the poller still sees every change.
  watcher.on('error', () => watcher.close());
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
