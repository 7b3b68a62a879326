import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { PortholeError } from '../errors.js';
import { discoverAwsProfiles, sharedConfigPaths, type AwsProfileKind } from './aws-profiles.js';

/** Who a profile's credentials are, for `porthole account whoami` and the app. Plain data, no secret. */
export interface AccountIdentity {
  profile: string;
  kind: AwsProfileKind['type'];
  accountId: string;
  arn: string;
  userId: string;
  /** When the credentials stop working (ISO UTC), when they are temporary. */
  expiresAt?: string;
}

/**
 * Resolves the profile's credentials as the SDK does (static keys, SSO cache,
 * credential_process, role chains) and asks STS who they are. Expired or
 * missing sign-ins become a 'credentials' error that says how to sign in.
 */
export async function whoAmI(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<AccountIdentity> {
  const profiles = await discoverAwsProfiles(env);
  const found = profiles.find((p) => p.name === profile);
  if (!found) {
    throw new PortholeError('usage', `There is no AWS profile "${profile}" in the shared AWS config files.`, {
      fix: 'Run "porthole account" to see the profiles, or create one with "aws configure sso".',
    });
  }
  const paths = sharedConfigPaths(env);
  const provider = fromIni({ profile, filepath: paths.credentials, configFilepath: paths.config });
  const endpoint = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  const region = found.region ?? env.AWS_REGION ?? 'us-east-1';
  const kind = found.kind?.type ?? 'unknown';
  let expiration: Date | undefined;
  const client = new STSClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    credentials: async () => {
      const credentials = await provider();
      expiration = credentials.expiration;
      return credentials;
    },
  });
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}));
    return {
      profile,
      kind,
      accountId: answer.Account ?? '',
      arn: answer.Arn ?? '',
      userId: answer.UserId ?? '',
      ...(expiration ? { expiresAt: expiration.toISOString() } : {}),
    };
  } catch (error) {
    throw credentialsError(profile, kind, error);
  } finally {
    client.destroy();
  }
}

/** The SDK's sign-in failures in the user's words; the message never carries a key or token. */
export function credentialsError(profile: string, kind: string, error: unknown): PortholeError {
  const name = (error as { name?: string }).name ?? '';
  const message = (error as Error).message ?? String(error);
  const signIn = kind === 'sso' ? `Run "porthole login ${profile}".` : `Renew the credentials of profile ${profile} in your AWS config.`;
  if (/expired|ExpiredToken|UnauthorizedException|token.*(invalid|not found)|SSO session|refresh/i.test(`${name} ${message}`)) {
    return new PortholeError('credentials', `The sign-in of AWS profile ${profile} has expired or is missing.`, { fix: signIn, cause: error });
  }
  if (/InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|CredentialsProviderError|Could not load credentials/i.test(`${name} ${message}`)) {
    return new PortholeError('credentials', `AWS profile ${profile} has no working credentials: ${message}`, { fix: signIn, cause: error });
  }
  return new PortholeError('network', `Could not ask AWS who profile ${profile} is: ${name} ${message}`, {
    fix: 'Check your connection and try again.',
    cause: error,
  });
}
