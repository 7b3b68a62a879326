import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import { MAX_COPY_CHARS, type PortholeHandlers } from '../../shared/contract.js';
import { diagnosticsFileName, exportDiagnostics } from '../diagnostics/export-diagnostics.js';
import { PortholeError } from '../errors.js';
import { KeychainPasswords } from '../workspaces/keychain-passwords.js';
import type { DashboardContext } from './dashboard-context.js';
import { eventHistoryPath } from './event-history.js';

export type DataHandlers = Pick<PortholeHandlers, 'exportDiagnostics' | 'copyText'>;

/**
 * What the dashboard takes out of Porthole: a diagnostics archive (saved
 * where the app's dialog says, or offered to the browser as a download)
 * and log lines the user copies.
 */
export function dataHandlers(context: DashboardContext): DataHandlers {
  return {
    exportDiagnostics: async (ref) => {
      const session = context.session(ref.account);
      const workspace = session.engine.get(ref.name, ref.region);
      const { chooseSavePath, offerDownload, secrets, dataDir } = context.options;
      const fileName = diagnosticsFileName(workspace.name, new Date());
      let outFile: string;
      if (chooseSavePath) {
        const chosen = await chooseSavePath(fileName);
        if (chosen === undefined) return { saved: 'cancelled' };
        outFile = chosen;
      } else if (offerDownload) {
        outFile = join(await mkdtemp(join(tmpdir(), 'porthole-diagnostics-')), fileName);
      } else {
        throw new PortholeError('internal', 'This Porthole has no way to hand over a file.', { fix: `Run "porthole diagnostics ${workspace.name}" instead.` });
      }
      const archive = await exportDiagnostics(
        {
          engine: session.engine,
          gateway: session.opened.gateway,
          resolver: session.opened.boxResolver,
          passwords: new KeychainPasswords(secrets),
          historyPath: eventHistoryPath(dataDir),
          portholeVersion: packageJson.version,
        },
        { name: workspace.name, region: workspace.region },
        outFile,
      );
      const label = context.events.label(workspace.name, session.name);
      if (chooseSavePath) {
        context.events.log('success', `Saved the diagnostics of ${label} to ${archive.path}.`, workspace);
        return { saved: 'file', path: archive.path, files: archive.files };
      }
      context.events.log('success', `Offered the diagnostics of ${label} as a download, ${fileName}.`, workspace);
      return { saved: 'download', url: offerDownload!(archive.path, fileName), fileName, files: archive.files };
    },
    copyText: async ({ text }) => {
      if (typeof text !== 'string' || text.length === 0) throw new PortholeError('usage', 'There is nothing to copy.', { fix: 'Select some lines first.' });
      if (text.length > MAX_COPY_CHARS) {
        throw new PortholeError('usage', `That is ${text.length.toLocaleString('en')} characters, more than the ${MAX_COPY_CHARS.toLocaleString('en')} Porthole copies at once.`, {
          fix: 'Narrow it with the source filter or a search, or select fewer lines.',
        });
      }
      await context.options.copyToClipboard(text);
      return { copied: text.length };
    },
  };
}
