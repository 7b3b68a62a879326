import { canonicalJson, sha256Hex } from './canonical-json.js';
import { WORKSPACE_HOME, WORKSPACE_USER } from './layer.js';
import type { ComposedEnvironment, ComposedFile } from './layer-composition.js';
import { heredoc, shellQuote } from './shell-quote.js';

/** One step of the launch script, as the progress markers name it. */
export interface ProvisionStep {
  name: string;
  /** Bash, run as root inside a function. */
  body: string;
  /**
   * Marks the step done in /var/lib/porthole/steps/<digest>.done, so a re-run
   * or an instance launched from a baked image skips it. Steps that hold
   * per-workspace values (the password hash) have none and always run.
   */
  digest?: string;
}

/** Keyed by the layer's whole content as well as the step, so any change to a layer re-runs its steps. */
export function stepDigest(layerDigest: string, name: string, body: string): string {
  return sha256Hex(canonicalJson({ layer: layerDigest, step: name, body }));
}

/** What keys the steps that span layers (environment, settings, extensions, dotfiles); declared ports change nothing on the box. */
export function environmentDigest(env: ComposedEnvironment): string {
  const { ports: _forwardedOnly, ...onTheBox } = env;
  return sha256Hex(canonicalJson(onTheBox));
}

/** The steps the layers make, in order: per layer its packages, steps and files; then what spans layers. */
export function layerProvisionSteps(env: ComposedEnvironment): ProvisionStep[] {
  const steps: ProvisionStep[] = [];
  const whole = environmentDigest(env);
  const keyed = (layer: string | undefined, name: string, body: string): ProvisionStep => ({
    name,
    body,
    digest: stepDigest(layer ? (env.layerDigests[layer] ?? whole) : whole, name, body),
  });
  for (const layer of env.layers) {
    const packages = env.apt[layer] ?? [];
    if (packages.length > 0) steps.push(keyed(layer, `${layer}: packages`, `apt_install ${packages.map(shellQuote).join(' ')}`));
    for (const step of env.steps.filter((s) => s.layer === layer)) steps.push(keyed(layer, `${layer}: ${step.name}`, step.run));
    const files = env.files.filter((f) => f.layer === layer);
    if (files.length > 0) steps.push(keyed(layer, `${layer}: files`, files.map(writeFile).join('\n')));
  }
  if (Object.keys(env.env).length > 0) steps.push(keyed(undefined, 'environment', environmentFiles(env.env)));
  if (Object.keys(env.settings).length > 0) steps.push(keyed(undefined, 'code-server settings', codeServerSettings(env.settings)));
  if (env.extensions.length > 0) steps.push(keyed(undefined, 'code-server extensions', env.extensions.map((id) => `as_user code-server --install-extension ${shellQuote(id)}`).join('\n')));
  if (env.dotfiles) steps.push(keyed(undefined, 'dotfiles', dotfiles(env.dotfiles)));
  return steps;
}

function inHome(path: string): boolean {
  return path.startsWith(`${WORKSPACE_HOME}/`);
}

function writeFile(file: ComposedFile): string {
  const owner = file.owner ?? (inHome(file.path) ? `${WORKSPACE_USER}:${WORKSPACE_USER}` : 'root:root');
  const path = shellQuote(file.path);
  const dir = shellQuote(file.path.slice(0, file.path.lastIndexOf('/')));
  // Folders in the home are made by the user, so they belong to the user.
  const mkdir = inHome(file.path) ? `as_user mkdir -p ${dir}` : `mkdir -p ${dir}`;
  return [mkdir, heredoc(`cat >${path}`, file.content), `chown ${shellQuote(owner)} ${path}`, `chmod ${file.mode ?? '0644'} ${path}`].join('\n');
}

function environmentFiles(env: Record<string, string>): string {
  const entries = Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // systemd reads the first (for code-server); login shells source the second.
  const systemd = entries.map(([key, value]) => `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"\n`).join('');
  const profile = entries.map(([key, value]) => `export ${key}=${shellQuote(value)}\n`).join('');
  return [heredoc('cat >/etc/porthole/environment', systemd), heredoc('cat >/etc/profile.d/porthole.sh', profile), 'chmod 0644 /etc/porthole/environment /etc/profile.d/porthole.sh'].join('\n');
}

function codeServerSettings(settings: Record<string, unknown>): string {
  const dir = `${WORKSPACE_HOME}/.local/share/code-server/User`;
  return [`as_user mkdir -p ${dir}`, heredoc(`as_user tee ${dir}/settings.json >/dev/null`, `${JSON.stringify(settings, null, 2)}\n`)].join('\n');
}

function dotfiles({ repo, install }: { repo: string; install?: string }): string {
  const clone = `${WORKSPACE_HOME}/.dotfiles`;
  return [
    `if [[ -d ${clone}/.git ]]; then`,
    `  as_user git -C ${clone} pull --ff-only`,
    'else',
    `  as_user git clone --depth 1 ${shellQuote(repo)} ${clone}`,
    'fi',
    ...(install ? [`as_user bash -c ${shellQuote(`cd ${clone} && ${install}`)}`] : []),
  ].join('\n');
}
