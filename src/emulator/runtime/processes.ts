import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';

/**
 * The sandbox's processes, found again by what they carry rather than by a
 * handle: each gets `LIGHTSAIL_LOCAL_INSTANCE=<its instance folder>` in its
 * environment, which its children (code-server's workers and terminals)
 * inherit; sshd gives its sessions a fresh environment, so it sets the mark
 * there itself. So a stop reaches every one of them, a server a session left
 * running included, and so does the clean-up after an emulator that crashed
 * and left them running.
 */
export const INSTANCE_MARK = 'LIGHTSAIL_LOCAL_INSTANCE';

export interface Spawned {
  child: ChildProcess;
  /** The last lines it printed, for an error message when it will not start. */
  output(): string;
}

/**
 * What an instance's processes may see of the emulator's environment: enough
 * to run, nothing of the user's (AWS keys, tokens), since a real instance
 * would not have them and code-server's terminal would show them.
 */
const PASSED_ENVIRONMENT = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME', 'SHELL'];

export function spawnMarked(command: string, args: string[], options: { dir: string; env?: NodeJS.ProcessEnv; cwd?: string }): Spawned {
  const passed = Object.fromEntries(PASSED_ENVIRONMENT.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  const child = spawn(command, args, {
    cwd: options.cwd ?? options.dir,
    env: { ...passed, ...options.env, [INSTANCE_MARK]: options.dir },
    // A group of its own, so a stop can signal the whole tree at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`${error.message}\n`)));
  return { child, output: () => output.trim().split('\n').slice(-12).join('\n') };
}

export async function writePidFile(path: string, pid: number | undefined): Promise<void> {
  if (pid !== undefined) await writeFile(path, `${pid}\n`, { mode: 0o600 });
}

/**
 * Every live process that belongs to `dir`: marked in its environment or
 * naming the folder on its command line (sshd's retitling overwrites its
 * environment), the pids recorded in `pidFiles` if they still belong, and
 * all their descendants (sshd's per-connection processes carry neither).
 * Linux reads /proc; elsewhere only the pid files and process groups count.
 */
export async function markedProcesses(dir: string, pidFiles: string[] = []): Promise<number[]> {
  const table = await processTable();
  const belongs = (info: ProcessInfo) => info.marks.some((owner) => owner === dir || owner.startsWith(`${dir}/`)) || info.cmdline.includes(`${dir}/`);
  const found = new Set<number>();
  for (const [pid, info] of table) if (belongs(info)) found.add(pid);
  for (const file of pidFiles) {
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) continue;
    const info = table.get(pid);
    // Without /proc there is no way to tell a reused pid apart; trust the pid file then.
    if (info ? belongs(info) : table.size === 0) found.add(pid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, info] of table) {
      if (!found.has(pid) && found.has(info.parent)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

interface ProcessInfo {
  parent: number;
  cmdline: string;
  marks: string[];
}

async function processTable(): Promise<Map<number, ProcessInfo>> {
  const table = new Map<number, ProcessInfo>();
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const [stat, cmdline, environ] = await Promise.all(
          ['stat', 'cmdline', 'environ'].map((file) => readFile(`/proc/${entry}/${file}`, 'latin1').catch(() => '')),
        );
        // The command name in stat is parenthesised and may hold spaces; the parent pid follows the state after it.
        const parent = Number(stat!.slice(stat!.lastIndexOf(')') + 2).split(' ')[1]);
        if (!Number.isInteger(parent)) return;
        const marks = environ!
          .split('\0')
          .filter((variable) => variable.startsWith(`${INSTANCE_MARK}=`))
          .map((variable) => variable.slice(INSTANCE_MARK.length + 1));
        table.set(Number(entry), { parent, cmdline: cmdline!.replaceAll('\0', ' '), marks });
      }),
  );
  return table;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM to each process and its group, SIGKILL to whatever is still there after `graceMs`; resolves once all are gone. */
export async function terminate(pids: number[], graceMs = 3_000): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, name);
      } catch {
        // Already gone, or not a group leader.
      }
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
  const hardDeadline = Date.now() + 2_000;
  while (pids.some(isAlive) && Date.now() < hardDeadline) await sleep(25);
}

/** A port nothing listens on right now, on loopback. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
