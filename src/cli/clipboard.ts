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

/** How one tool's try went: copied, not installed, or failed with what it said. */
type Outcome = { copied: true } | { copied: false; missing: true } | { copied: false; missing: false; why: string };

export async function copyToClipboard(text: string): Promise<void> {
  const failures: string[] = [];
  for (const [command, args] of CANDIDATES) {
    const outcome = await pipeTo(command, args, text);
    if (outcome.copied) return;
    if (!outcome.missing) failures.push(`${command}: ${outcome.why}`);
  }
  // A tool that is there but fails (no display, say) is a different problem from none at all.
  if (failures.length > 0) {
    throw new PortholeError('usage', `Could not copy to the clipboard (${failures.join('; ')}).`, {
      fix: 'Run it from your desktop session (DISPLAY or WAYLAND_DISPLAY set to a running display), or run without --copy to print the password.',
    });
  }
  throw new PortholeError('usage', 'No clipboard tool is available on this system.', {
    fix: `Install one of ${CANDIDATES.map(([c]) => c).join(', ')}, or run without --copy to print the password.`,
  });
}

function pipeTo(command: string, args: string[], text: string): Promise<Outcome> {
  return new Promise((resolve) => {
    // Only stderr is read: the tools print nothing of the text, and stdout stays ignored.
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let said = '';
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? { copied: false, missing: true } : { copied: false, missing: false, why: error.message }));
    child.on('exit', (code, signal) => {
      // xclip leaves a child holding the selection, and that child holds this pipe: let go of it, or the CLI would wait for it.
      child.stderr.destroy();
      resolve(code === 0 ? { copied: true } : { copied: false, missing: false, why: said.trim().split('\n')[0] || `exited with ${code ?? signal}` });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
