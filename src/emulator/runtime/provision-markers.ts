import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The steps a sandbox instance goes through on the way up, named as the
 * progress markers show them: the layers' installs, which the sandbox only
 * waits out (it installs nothing on this machine), then what it really does.
 * A real instance runs its launch script's steps instead; the markers have
 * the same shape either way.
 */
export const SANDBOX_PROVISION_STEPS = ['apply the layers', 'configure code-server', 'start code-server', 'wait for code-server to answer'] as const;

/**
 * The launch script's progress file and log, written the way its prelude
 * writes them (one line per update, "launch <id> step <i> of <n> <name>
 * <running|ok|failed>", the last line the state; the launch id is the one
 * the instance's launch script names) into the instance's own state folder, which ssh
 * sessions into the instance find as PORTHOLE_STATE_DIR. The emulator imports
 * nothing from Porthole's core, so the format is restated here and the
 * instance-status suite checks that Porthole reads it.
 */
export class ProvisionMarkers {
  constructor(
    readonly stateDir: string,
    /** This launch's id; without one (a launch script from before markers named their launch) the lines name none. */
    readonly launchId?: string,
    readonly total: number = SANDBOX_PROVISION_STEPS.length,
  ) {}

  get #prefix(): string {
    return this.launchId === undefined ? '' : `launch ${this.launchId} `;
  }

  get progressFile(): string {
    return join(this.stateDir, 'progress');
  }

  get idleWarningFile(): string {
    return join(this.stateDir, 'idle-warning');
  }

  #quiet = false;

  /**
   * Before the instance's processes start. `disk` is the progress file its
   * disk came with (from a snapshot or an image), written first when the
   * folder has none. An instance this launch provisioned before (started
   * again, or served by a new emulator) keeps its finished markers and runs
   * its steps without new ones, as a rebooted instance does not run its
   * launch script again; otherwise this launch's markers follow whatever
   * earlier launches left, as the launch script appends to the file. Either
   * way an idle warning from before is void (the agent drops it at boot,
   * too). Returns whether this start provisions.
   */
  async begin(disk?: string): Promise<boolean> {
    await mkdir(this.stateDir, { recursive: true, mode: 0o755 });
    await rm(this.idleWarningFile, { force: true });
    if (disk !== undefined) await writeFile(this.progressFile, disk, { flag: 'wx', mode: 0o644 }).catch(() => undefined);
    const last = (await this.progress()).trimEnd().split('\n').at(-1);
    this.#quiet = last === `${this.#prefix}step ${this.total} of ${this.total} ${SANDBOX_PROVISION_STEPS[this.total - 1]} ok`;
    return !this.#quiet;
  }

  /** The whole progress file, every launch's lines; empty when there is none. */
  progress(): Promise<string> {
    return readFile(this.progressFile, 'utf8').catch(() => '');
  }

  /** Runs one step between its `running` and `ok` markers; a step that throws is marked `failed` with the reason in the log. */
  async step<T>(index: number, work: () => Promise<T>): Promise<T> {
    if (this.#quiet) return work();
    const name = SANDBOX_PROVISION_STEPS[index - 1] ?? `step ${index}`;
    await this.#mark(index, name, 'running');
    await this.#log(`step ${index} of ${this.total}: ${name}`);
    try {
      const result = await work();
      await this.#mark(index, name, 'ok');
      return result;
    } catch (error) {
      await this.#mark(index, name, 'failed');
      await this.#log(`step ${name} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      throw error;
    }
  }

  #mark(index: number, name: string, status: 'running' | 'ok' | 'failed'): Promise<void> {
    return appendFile(this.progressFile, `${this.#prefix}step ${index} of ${this.total} ${name} ${status}\n`, { mode: 0o644 });
  }

  #log(line: string): Promise<void> {
    return appendFile(join(this.stateDir, 'launch.log'), `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} porthole: ${line}\n`, { mode: 0o644 });
  }
}
