import { gunzipSync } from 'node:zlib';

/**
 * What the sandbox needs from an instance's launch script: the code-server
 * config.yaml it writes and, for direct access, the command that makes its
 * TLS certificate. Read from the script text itself (the emulator imports
 * nothing from Porthole's core), so the sandbox runs exactly the
 * configuration a real instance would.
 */
export interface LaunchConfig {
  /** config.yaml as the script writes it to /etc/porthole/code-server.yaml. */
  codeServerYaml: string;
  /** `tunnel` binds loopback only; `direct` serves TLS with `cert`/`cert-key`. */
  accessMode: 'tunnel' | 'direct';
  /** The `openssl req ...` line that makes the certificate, when the script has one. */
  certificateCommand?: string;
}

const CONFIG_BLOCK = /cat >\/etc\/porthole\/code-server\.yaml <<'PORTHOLE_CONFIG'\n([\s\S]*?)\nPORTHOLE_CONFIG\n/;
const PACKED_BLOCK = /payload=\$\(cat <<'PORTHOLE_PACKED'\n([\s\S]*?)PORTHOLE_PACKED\n/;
const CERTIFICATE_COMMAND = /^\s*(openssl req [^\n]*?)(?: 2>\/dev\/null)?$/m;

/** The script itself, unpacking the compressed self-extracting form the launch script takes when it would not fit. */
export function unpackUserData(userData: string): string {
  const packed = PACKED_BLOCK.exec(userData);
  if (!packed) return userData;
  return gunzipSync(Buffer.from(packed[1]!.replace(/\s+/g, ''), 'base64')).toString('utf8');
}

/** The code-server configuration of a launch script, or a sentence saying why there is none. */
export function readLaunchConfig(userData: string | undefined): LaunchConfig | { problem: string } {
  if (userData === undefined || userData.trim() === '') {
    return { problem: 'it was created without a launch script, so nothing says how its code-server is configured' };
  }
  let script: string;
  try {
    script = unpackUserData(userData);
  } catch (error) {
    return { problem: `its compressed launch script does not unpack (${error instanceof Error ? error.message : String(error)})` };
  }
  const block = CONFIG_BLOCK.exec(script);
  if (!block) return { problem: 'its launch script writes no code-server config (/etc/porthole/code-server.yaml)' };
  const codeServerYaml = `${block[1]!}\n`;
  const accessMode = /^cert:\s*(?!false\s*$)\S/m.test(codeServerYaml) ? 'direct' : 'tunnel';
  const certificate = CERTIFICATE_COMMAND.exec(script)?.[1];
  return { codeServerYaml, accessMode, ...(certificate !== undefined ? { certificateCommand: certificate } : {}) };
}

/**
 * The configuration in force on a disk that several launch scripts ran on
 * (an image's, then the workspace's own): the last one that configures
 * code-server wins, as its file overwrites the earlier ones.
 */
export function readDiskConfig(launchScripts: string[]): LaunchConfig | { problem: string } {
  let last: LaunchConfig | { problem: string } = readLaunchConfig(undefined);
  for (const script of launchScripts) {
    const read = readLaunchConfig(script);
    if (!('problem' in read) || 'problem' in last) last = read;
  }
  return last;
}

/**
 * The config moved onto this machine: loopback on the port the sandbox chose
 * (every sandbox instance shares 127.0.0.1, so nobody gets 8080 or 8443), and
 * the TLS files from /etc/porthole/tls into the instance's own folder.
 */
export function localCodeServerYaml(config: LaunchConfig, port: number, tlsDir: string): string {
  const lines = config.codeServerYaml.split('\n').filter((line) => !/^bind-addr:/.test(line));
  return [`bind-addr: 127.0.0.1:${port}`, ...lines].join('\n').replaceAll('/etc/porthole/tls/', `${tlsDir}/`);
}

/**
 * The content of a file a launch script writes with a quoted heredoc
 * (`cat >PATH <<'DELIMITER'`), from the last of the disk's scripts that
 * writes it, so the sandbox holds the very file a real instance would.
 */
export function readScriptFile(launchScripts: string[], path: string): string | undefined {
  const block = new RegExp(`cat >${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} <<'([A-Z0-9_]+)'` + String.raw`\n([\s\S]*?\n)\1(?:\n|$)`);
  let found: string | undefined;
  for (const userData of launchScripts) {
    let script: string;
    try {
      script = unpackUserData(userData);
    } catch {
      continue;
    }
    found = block.exec(script)?.[2] ?? found;
  }
  return found;
}

/** The idle agent a launch script installs (/usr/local/lib/porthole/idle-agent). */
export function readIdleAgent(launchScripts: string[]): string | undefined {
  return readScriptFile(launchScripts, '/usr/local/lib/porthole/idle-agent');
}

/** The launch id a launch script writes into its progress markers ("launch <id> step ..."), when it names one. */
export function readLaunchId(userData: string | undefined): string | undefined {
  if (userData === undefined) return undefined;
  try {
    return /^\s*printf 'launch ([A-Za-z0-9-]+) step /m.exec(unpackUserData(userData))?.[1];
  } catch {
    return undefined;
  }
}
