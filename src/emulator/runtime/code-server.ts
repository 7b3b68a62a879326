import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { codeServerHome } from './code-server-home.js';
import { type LaunchConfig, localCodeServerYaml } from './launch-config.js';
import type { TlsData } from '../world.js';
import { type Spawned, spawnMarked } from './processes.js';

export interface CodeServerSetup {
  bin: string;
  dir: string;
  port: number;
  config: LaunchConfig;
  /** The certificate the disk already has, for direct access; made when there is none. */
  tls?: TlsData;
}

/** code-server's files, written before it starts: the config it reads and, for direct access, the certificate it serves. */
export interface CodeServerFiles {
  configPath: string;
  tls?: TlsData;
}

/**
 * The launch script's own config.yaml moved to loopback and this instance's
 * folder, the certificate for direct access, and a first screen without the
 * welcome page. Everything code-server writes (settings, extensions,
 * heartbeat) stays in that folder.
 */
export async function writeCodeServerFiles(setup: CodeServerSetup): Promise<CodeServerFiles> {
  const { dir } = setup;
  const tlsDir = join(dir, 'tls');
  await Promise.all(['data', 'config', 'ext', 'workspace', join('user-data', 'User')].map((sub) => mkdir(join(dir, sub), { recursive: true, mode: 0o700 })));
  const tls = setup.config.accessMode === 'direct' ? await certificate(setup.config, tlsDir, setup.tls) : undefined;
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, localCodeServerYaml(setup.config, setup.port, tlsDir), { mode: 0o600 });
  // A first screen without the welcome page and the trust prompt, as the workspace's settings layer would have it.
  const settings = join(dir, 'user-data', 'User', 'settings.json');
  if (!existsSync(settings)) await writeFile(settings, '{"workbench.startupEditor":"none","security.workspace.trust.enabled":false}\n');
  return { configPath, ...(tls ? { tls } : {}) };
}

/** code-server as the instance's systemd unit runs it, on the files `writeCodeServerFiles` wrote. */
export function spawnCodeServer(setup: Pick<CodeServerSetup, 'bin' | 'dir'>, files: CodeServerFiles): Spawned {
  const { dir } = setup;
  return spawnMarked(
    setup.bin,
    ['--config', files.configPath, '--user-data-dir', join(dir, 'user-data'), '--extensions-dir', join(dir, 'ext'), '--disable-workspace-trust', join(dir, 'workspace')],
    {
      dir,
      cwd: join(dir, 'workspace'),
      env: codeServerHome(dir),
    },
  );
}

/** Whether code-server answers its unauthenticated /healthz, as the instance's own checks ask it (TLS unverified: this is its own certificate). */
export function healthzAnswers(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const options = { host: '127.0.0.1', port, path: '/healthz', agent: false as const, timeout: 2_000, ...(tls ? { rejectUnauthorized: false } : {}) };
    const request = (tls ? httpsGet : httpGet)(options, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/**
 * The certificate direct access serves: the one the disk has, else one made
 * by the launch script's own openssl command with its paths moved here (the
 * script, too, only makes one when there is none).
 */
async function certificate(config: LaunchConfig, tlsDir: string, existing: TlsData | undefined): Promise<TlsData> {
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  const certPath = join(tlsDir, 'cert.pem');
  const keyPath = join(tlsDir, 'key.pem');
  if (existing) {
    await writeFile(certPath, existing.certPem, { mode: 0o644 });
    await writeFile(keyPath, existing.keyPem, { mode: 0o600 });
    return existing;
  }
  await makeCertificate(config, tlsDir);
  return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
}

async function makeCertificate(config: LaunchConfig, tlsDir: string): Promise<void> {
  const fallback = `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj /CN=porthole -keyout /etc/porthole/tls/key.pem -out /etc/porthole/tls/cert.pem`;
  for (const command of [config.certificateCommand, fallback]) {
    if (command === undefined) continue;
    const made = spawnSync('bash', ['-c', command.replaceAll('/etc/porthole/tls/', `${tlsDir}/`)], { encoding: 'utf8', timeout: 30_000 });
    if (made.status === 0 && existsSync(join(tlsDir, 'cert.pem'))) return;
  }
  throw new Error('openssl could not make the direct-access certificate; install openssl ("sudo apt-get install openssl").');
}
