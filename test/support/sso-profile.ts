import { writeIdentityRuleSets } from '../../src/emulator/identity/endpoint-rule-sets.js';

/**
 * The IAM Identity Center profile the sign-in suites share: `work`, signing in
 * through the `corp` session to account 111122223333 as Developer.
 */
export const SSO_WORK_PROFILE = [
  '[profile work]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Developer',
  'region = us-east-1',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = us-east-1',
];

/** Points the AWS SDK's and CLI's sign-in, portal and STS calls at lightsail-local's identity server. */
export function identityEndpointEnv(identityEndpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_SSO_OIDC: identityEndpoint,
    AWS_ENDPOINT_URL_SSO: identityEndpoint,
    AWS_ENDPOINT_URL_STS: identityEndpoint,
  };
}

/**
 * The same for the `aws` command itself, whichever is installed: the
 * variables, and the endpoint rule sets (written into `dir`) that CLIs too
 * old for the variables, such as Debian's 2.9, follow instead.
 */
export async function identityEndpointCliEnv(dir: string, identityEndpoint: string): Promise<NodeJS.ProcessEnv> {
  return { ...identityEndpointEnv(identityEndpoint), AWS_DATA_PATH: await writeIdentityRuleSets(dir, identityEndpoint) };
}
