import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeIdentityRuleSets } from '../identity/endpoint-rule-sets.js';
import { readScriptFile } from './launch-config.js';

/** Where a launch script puts the workspace user's AWS CLI config (Porthole's aws layer). */
const BOX_AWS_CONFIG = '/home/porthole/.aws/config';

/**
 * The sandbox's side of an instance's AWS CLI: the workspace user's home
 * (the instance's /home/porthole, in its own folder, where the CLI keeps the
 * config the launch script writes and the token of its own sign-in), and the
 * route from that CLI to lightsail-local's identity server on loopback, as a
 * real instance's network routes it to IAM Identity Center and STS.
 *
 * The route is an endpoint rule set per service in AWS_DATA_PATH (see
 * writeIdentityRuleSets); the AWS_ENDPOINT_URL_* variables do the same for
 * the SDKs and newer CLIs. Returns the variables every SSH session of the instance gets.
 */
export async function prepareBoxAws(slotDir: string, launchScripts: string[], identityEndpoint: string | undefined): Promise<Record<string, string>> {
  const home = join(slotDir, 'home');
  await mkdir(home, { recursive: true, mode: 0o755 });
  const config = readScriptFile(launchScripts, BOX_AWS_CONFIG);
  if (config !== undefined) {
    await mkdir(join(home, '.aws'), { recursive: true, mode: 0o700 });
    // Written once, as the launch script runs once: what the user changed on the box stays.
    await writeFile(join(home, '.aws', 'config'), config, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (identityEndpoint === undefined) return { PORTHOLE_WORKSPACE_HOME: home };
  const models = await writeIdentityRuleSets(join(slotDir, 'aws-models'), identityEndpoint);
  return {
    PORTHOLE_WORKSPACE_HOME: home,
    AWS_DATA_PATH: models,
    AWS_ENDPOINT_URL_SSO_OIDC: identityEndpoint,
    AWS_ENDPOINT_URL_SSO: identityEndpoint,
    AWS_ENDPOINT_URL_STS: identityEndpoint,
  };
}
