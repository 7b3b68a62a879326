import { spawn } from 'node:child_process';
import { PortholeError } from '../core/errors.js';

/** The clipboard tools of each desktop; the secret goes through stdin, never a command line. */
const CANDIDATES: ReadonlyArray<readonly [string, string[]]> = process.platform === 'darwin'
  ? [['pbcopy', []]]
  : process.platform === 'win32'
    ? [['clip', []]]
    : [
        ['wl-copy', []],
        ['xclip', ['-selection', 'clipboard']],
        ['xsel', ['--clipboard', '--input']],
      ];

export async function copyToClipboard(text: string): Promise<void> {
  for (const [command, args] of CANDIDATES) {
    if (await pipeTo(command, args, text)) return;
  }
  throw new PortholeError('usage', 'No clipboard tool is available on this system.', {
    fix: `Install one of ${CANDIDATES.map(([c]) => c).join(', ')}, or run without --copy to print the password.`,
  });
}

function pipeTo(command: string, args: string[], text: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
    child.stdin.end(text);
  });
}
