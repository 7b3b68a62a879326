import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const INSTALLER = fileURLToPath(new URL('../../scripts/install-code-server.mjs', import.meta.url));

/** The cached code-server, installed on first use; a failed install fails the suite with its reason. */
export function codeServerBin(): string {
  const run = spawnSync(process.execPath, [INSTALLER, '--json'], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (run.status !== 0) throw new Error(`code-server could not be installed for this suite:\n${(run.stderr ?? String(run.error)).trim().split('\n').slice(-15).join('\n')}`);
  return (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { bin: string }).bin;
}

/**
 * Polls `probe` until it answers something other than undefined. On a
 * timeout, `seen` says what there was instead, so a failure explains itself.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, seen?: () => unknown): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${seen ? `; instead: ${JSON.stringify(seen())}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Posts code-server's login form, as its page does; 302 with a session cookie means in, 200 with "Incorrect password" means not. */
export function codeServerLogin(port: number, password: string): Promise<Response> {
  const origin = `http://127.0.0.1:${port}`;
  return fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, base: '.', href: `${origin}/` }).toString(),
  });
}
