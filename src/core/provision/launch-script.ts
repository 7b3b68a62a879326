import type { AccessMode } from '../../shared/workspace.js';
import { boxAwsConfigStep, type BoxAwsConfig } from './box-aws-config.js';
import { CODE_SERVER_CONFIG_PATH, CODE_SERVER_UNIT, codeServerConfig, TLS_CERT_PATH, TLS_KEY_PATH } from './code-server-config.js';
import { DEFAULT_WARNING_LEAD_MINUTES, IDLE_CONFIG_PATH, idleConfig } from './idle-agent.js';
import { WORKSPACE_USER } from './layer.js';
import { builtinCatalog, composable } from './layer-catalog.js';
import { composeLayers, type ComposedEnvironment } from './layer-composition.js';
import { layerProvisionSteps, type ProvisionStep } from './provision-steps.js';
import { scriptPrelude } from './script-prelude.js';
import { shellQuote } from './shell-quote.js';
import { packUserData } from './user-data-packing.js';

export { PROGRESS_FILE } from './script-prelude.js';
export const CODE_SERVER_CONFIG = CODE_SERVER_CONFIG_PATH;

/** Every workspace stands on base: it brings the user, code-server and the idle agent. */
export const ROOT_LAYER = 'base';

export interface LaunchScriptInput {
  /** The argon2id hash of the workspace password; the password itself never leaves the keychain. */
  passwordHash: string;
  accessMode: AccessMode;
  idleTimeoutMinutes: number;
  /** Layer names (resolved among the built-in layers) or an environment composed from any catalog; base is always included. */
  layers?: readonly string[] | ComposedEnvironment;
  warningLeadMinutes?: number;
  /** Names this launch in every progress marker (letters, digits, dashes), so a status read tells them from an earlier launch's on the same disk. */
  launchId?: string;
  /** The IAM Identity Center profiles the box's AWS CLI signs in with (config only, never a token or key). */
  awsConfig?: BoxAwsConfig;
}

export interface BuiltLaunchScript {
  /** The script as it runs on the instance. */
  script: string;
  /** What goes into Lightsail's user data: the script, or a self-unpacking compressed form of it. */
  userData: string;
  compressed: boolean;
  environment: ComposedEnvironment;
  steps: ProvisionStep[];
}

/** The user data for a new instance (the call the workspace engine makes). */
export function launchScript(input: LaunchScriptInput): string {
  return buildLaunchScript(input).userData;
}

export function buildLaunchScript(input: LaunchScriptInput): BuiltLaunchScript {
  const environment = isComposed(input.layers) ? input.layers : composeLayers(input.layers ?? [], composable(builtinCatalog()), '--layers', [ROOT_LAYER]);
  const steps = [...layerProvisionSteps(environment), ...workspaceSteps(input)];
  const script = renderScript(steps, `layers ${environment.layers.join(', ')}; ${input.accessMode} access`, undefined, input.launchId);
  const userData = packUserData(script);
  return { script, userData, compressed: userData !== script, environment, steps };
}

function isComposed(layers: LaunchScriptInput['layers']): layers is ComposedEnvironment {
  return layers !== undefined && !Array.isArray(layers);
}

/** What differs per workspace: never skipped, so a baked image still gets this workspace's password and settings. */
function workspaceSteps({ passwordHash, accessMode, idleTimeoutMinutes, warningLeadMinutes, awsConfig }: LaunchScriptInput): ProvisionStep[] {
  const certificate =
    accessMode === 'direct'
      ? [
          `if [[ ! -s ${TLS_CERT_PATH} ]]; then`,
          `  install -d -m 0750 -g ${WORKSPACE_USER} /etc/porthole/tls`,
          `  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj /CN=porthole -keyout ${TLS_KEY_PATH} -out ${TLS_CERT_PATH} 2>/dev/null`,
          `  chown root:${WORKSPACE_USER} ${TLS_KEY_PATH} ${TLS_CERT_PATH}`,
          `  chmod 0640 ${TLS_KEY_PATH}`,
          `  chmod 0644 ${TLS_CERT_PATH}`,
          'fi',
        ]
      : [];
  return [
    ...(awsConfig ? [{ name: 'write the AWS CLI config', body: boxAwsConfigStep(awsConfig) }] : []),
    {
      name: 'configure code-server',
      body: [
        ...certificate,
        `cat >${CODE_SERVER_CONFIG_PATH} <<'PORTHOLE_CONFIG'`,
        codeServerConfig(passwordHash, accessMode).trimEnd(),
        'PORTHOLE_CONFIG',
        `chown root:${WORKSPACE_USER} ${CODE_SERVER_CONFIG_PATH}`,
        `chmod 0640 ${CODE_SERVER_CONFIG_PATH}`,
      ].join('\n'),
    },
    {
      name: 'configure the idle agent',
      body: [`cat >${IDLE_CONFIG_PATH} <<'PORTHOLE_IDLE'`, idleConfig(idleTimeoutMinutes, warningLeadMinutes ?? DEFAULT_WARNING_LEAD_MINUTES).trimEnd(), 'PORTHOLE_IDLE'].join('\n'),
    },
    startServicesStep(),
  ];
}

function startServicesStep(): ProvisionStep {
  return {
    name: 'start code-server and the idle agent',
    body: [`systemctl enable ${CODE_SERVER_UNIT} porthole-idle.timer`, `systemctl restart ${CODE_SERVER_UNIT}`, 'systemctl start porthole-idle.timer'].join('\n'),
  };
}

/**
 * The user data of an instance resumed from its hibernation snapshot: the
 * disk already holds the workspace's configuration, so this launch only
 * starts its services, with markers named after `launchId` so that the
 * snapshot's finished markers do not read as this launch done.
 */
export function resumeLaunchScript(launchId: string): string {
  return renderScript([startServicesStep()], 'resumed from its hibernation snapshot', undefined, launchId);
}

/**
 * The bash script for a list of steps: each step a function, run in order
 * with progress markers. `stateDir` moves the markers off /var/lib/porthole
 * when the runner is exercised away from an instance.
 */
export function renderScript(steps: readonly ProvisionStep[], summary: string, stateDir?: string, launchId?: string): string {
  const functions = steps.map((step, index) => `step_${index + 1}() {\n${step.body}\n}`);
  const calls = steps.map((step, index) => `run_step ${index + 1} ${shellQuote(step.name)} '${step.digest ?? ''}' step_${index + 1}`);
  return [
    '#!/bin/bash',
    `# Porthole launch script (${summary.replaceAll('\n', ' ')}).`,
    '# Runs as root on first boot and is safe to run again: finished steps are skipped.',
    scriptPrelude(steps.length, stateDir, launchId),
    ...functions,
    '',
    ...calls,
    "log 'workspace ready'",
    '',
  ].join('\n');
}
