import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PORTHOLE = fileURLToPath(new URL('../../bin/porthole.js', import.meta.url));

/** lightsail-local in a process of its own (`porthole emulator`), so a benchmark's memory and CPU figures are its own. */
export interface EmulatorProcess {
  endpoint: string;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulatorProcess({ timeScale }: { timeScale: number }): Promise<EmulatorProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-emulator-'));
  const child = spawn(process.execPath, [PORTHOLE, '--json', 'emulator', '--state', join(dir, 'state.json'), '--time-scale', String(timeScale)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.on('exit', (code) => reject(new Error(`porthole emulator exited with ${code} before it listened`)));
  });
  return {
    endpoint,
    async advance(ms) {
      const response = await fetch(`${endpoint}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: ms / 1000 }) });
      if (!response.ok) throw new Error(`advancing the emulator clock failed: HTTP ${response.status}`);
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
