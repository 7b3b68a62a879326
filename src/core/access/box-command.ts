import { execFile } from 'node:child_process';
import { PortholeError } from '../errors.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from './ssh-login-files.js';
import { type BoxAccessDependencies, freshAccess, hostAlias, type TunnelTarget } from './ssh-tunnel.js';

/**
 * Runs one short sh command on the workspace's instance with a fresh
 * certificate and answers what it printed; the key folder is removed when
 * ssh ends. For small reads (versions, a path's kind), not for streams.
 */
export async function runOnBox(deps: BoxAccessDependencies, target: TunnelTarget, command: string, timeoutMs = 30_000): Promise<string> {
  const { details, point } = await freshAccess(deps, target);
  const files = await writeSshLoginFiles(details, hostAlias(target));
  try {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('ssh', ['-T', '-o', 'ClearAllForwardings=yes', ...sshLoginOptions(files, point, details.username), command], { timeout: timeoutMs, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        const failed = error as { code?: number | string } | null;
        resolve({ code: failed ? (typeof failed.code === 'number' ? failed.code : 255) : 0, stdout, stderr });
      });
    });
    if (run.code === 255) throw sshFailure(target.workspace, run.stderr, details, deps.now?.() ?? new Date());
    if (run.code !== 0) {
      throw new PortholeError('service', `A command on ${target.workspace} failed: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.code}`}`, { fix: 'Check that the workspace is ready, then try again.' });
    }
    return run.stdout;
  } finally {
    await files.remove();
  }
}
