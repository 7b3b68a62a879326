import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The services an AWS CLI calls to sign in and to say who it is, with their API versions. */
const IDENTITY_SERVICES = ['sso-oidc/2019-06-10', 'sso/2019-06-10', 'sts/2011-06-15'];

/**
 * Endpoint rule sets that send an AWS CLI's sign-in, portal and STS calls to
 * lightsail-local's identity server, in a folder to name in AWS_DATA_PATH.
 * Every AWS CLI v2 honours them (Debian's 2.9 among them, which predates
 * endpoint_url and the AWS_ENDPOINT_URL_* variables), and v1 as well.
 * Returns the folder.
 */
export async function writeIdentityRuleSets(dir: string, identityEndpoint: string): Promise<string> {
  const ruleSet = JSON.stringify({
    version: '1.0',
    parameters: { Region: { builtIn: 'AWS::Region', required: false, type: 'String' } },
    rules: [{ conditions: [], endpoint: { url: identityEndpoint }, type: 'endpoint' }],
  });
  for (const service of IDENTITY_SERVICES) {
    await mkdir(join(dir, service), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, service, 'endpoint-rule-set-1.json'), ruleSet, { mode: 0o644 });
  }
  return dir;
}
