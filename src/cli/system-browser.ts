import { spawn } from 'node:child_process';
import { PortholeError } from '../core/errors.js';

/** An opener still running after this long has handed the page to a browser that stays open ($BROWSER=firefox, say). */
const HANDED_OVER_MS = 3_000;

/** $BROWSER when set (as many Unix tools honour), else the desktop's own opener; the URL is an argument, never through a shell. */
export function browserCommand(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (env.BROWSER) return [env.BROWSER, [url]];
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/**
 * Opens `url` in the user's browser, and says so only when it happened: a
 * machine with no desktop has an `xdg-open` that exits with an error, and a
 * first run may have neither it nor $BROWSER. The failure names the opener
 * and what it said; the caller prints the address for the user to open.
 */
export function openInSystemBrowser(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<void> {
  const [command, args] = browserCommand(url, env, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let said = '';
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const handedOver = setTimeout(() => {
      child.stderr.destroy();
      child.unref();
      resolve();
    }, HANDED_OVER_MS);
    child.once('error', () => {
      clearTimeout(handedOver);
      reject(new PortholeError('usage', `No browser could be started: "${command}" is not installed.`, { fix: 'Open the address yourself, or set $BROWSER to your browser.' }));
    });
    child.once('exit', (code) => {
      clearTimeout(handedOver);
      if (code === 0) return resolve();
      const why = said.trim().split('\n')[0];
      reject(new PortholeError('usage', `No browser opened the page: "${command}" exited with ${code ?? 'a signal'}${why ? ` (${why})` : ''}.`, { fix: 'Open the address yourself, or set $BROWSER to your browser.' }));
    });
  });
}
