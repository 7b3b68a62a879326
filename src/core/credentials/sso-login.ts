import {
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { PortholeError } from '../errors.js';
import { listAwsProfiles, ssoSettingsOf } from './aws-profiles.js';
import { isoSeconds, readSsoCache, ssoCachePath, writeSsoCache, type SsoCachedToken } from './sso-token-cache.js';

/** What the person must do in the browser; never carries a token. */
export interface DeviceSignInPrompt {
  verificationUri: string;
  verificationUriComplete: string;
  userCode: string;
  /** When the code stops working (ISO UTC). */
  expiresAt: string;
}

export interface SsoLoginOptions {
  profile: string;
  env?: NodeJS.ProcessEnv;
  /** Opens the verification page (the system browser in the CLI and app). */
  openUrl: (prompt: DeviceSignInPrompt) => Promise<void> | void;
  /** Waits between polls; injectable so a test can count them. */
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface SsoLoginResult {
  cachePath: string;
  expiresAt: string;
  reusedRegistration: boolean;
}

/**
 * IAM Identity Center device sign-in, as `aws sso login` does it: register a
 * public client (or reuse an unexpired registration from the cache), start a
 * device authorization, let the person approve it in the browser, poll for the
 * token honouring authorization_pending and slow_down, and write the CLI's cache.
 */
export async function ssoLogin(options: SsoLoginOptions): Promise<SsoLoginResult> {
  const env = options.env ?? process.env;
  const settings = await ssoSettingsOf(options.profile, env);
  if (!settings && !(await listAwsProfiles(env)).some((p) => p.name === options.profile)) {
    throw new PortholeError('usage', `There is no AWS profile "${options.profile}" in the shared AWS config files.`, {
      fix: 'Run "porthole account" to see the profiles, or create one with "aws configure sso".',
    });
  }
  if (!settings) {
    throw new PortholeError(
      'usage',
      `Profile ${options.profile} does not sign in with IAM Identity Center (no sso_session or sso_start_url in its config).`,
      { fix: `Add sso_session (with an [sso-session] block) or sso_start_url and sso_region to [profile ${options.profile}], or run aws configure sso.` },
    );
  }
  if (!settings.startUrl || !settings.ssoRegion) {
    throw new PortholeError(
      'usage',
      `Profile ${options.profile}'s SSO settings lack ${settings.startUrl ? 'sso_region' : 'sso_start_url'}.`,
      { fix: settings.session ? `Set it in [sso-session ${settings.session}] of your AWS config.` : `Set it in [profile ${options.profile}] of your AWS config.` },
    );
  }
  const endpoint = env.AWS_ENDPOINT_URL_SSO_OIDC ?? env.AWS_ENDPOINT_URL;
  const client = new SSOOIDCClient({ region: settings.ssoRegion, ...(endpoint ? { endpoint } : {}) });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const cachePath = ssoCachePath(settings, env);
  try {
    const cached = await readSsoCache(cachePath);
    const reusable =
      cached?.clientId && cached.clientSecret && cached.registrationExpiresAt && Date.parse(cached.registrationExpiresAt) > Date.now() + 15 * 60_000;
    let clientId: string;
    let clientSecret: string;
    let registrationExpiresAt: string;
    if (reusable && cached.clientId && cached.clientSecret && cached.registrationExpiresAt) {
      ({ clientId, clientSecret, registrationExpiresAt } = { clientId: cached.clientId, clientSecret: cached.clientSecret, registrationExpiresAt: cached.registrationExpiresAt });
    } else {
      const registration = await client.send(
        new RegisterClientCommand({
          clientName: `porthole-${Math.floor(Date.now() / 1000)}`,
          clientType: 'public',
          ...(settings.registrationScopes ? { scopes: settings.registrationScopes.split(',').map((s) => s.trim()) } : {}),
        }),
      );
      clientId = registration.clientId ?? '';
      clientSecret = registration.clientSecret ?? '';
      registrationExpiresAt = isoSeconds((registration.clientSecretExpiresAt ?? 0) * 1000);
    }
    const device = await client.send(new StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: settings.startUrl }));
    const deadline = Date.now() + (device.expiresIn ?? 600) * 1000;
    await options.openUrl({
      verificationUri: device.verificationUri ?? '',
      verificationUriComplete: device.verificationUriComplete ?? device.verificationUri ?? '',
      userCode: device.userCode ?? '',
      expiresAt: isoSeconds(deadline),
    });
    let intervalMs = (device.interval ?? 5) * 1000;
    for (;;) {
      if (options.signal?.aborted) throw new PortholeError('usage', 'Sign-in was cancelled.', { fix: `Run porthole login ${options.profile} again.` });
      await sleep(intervalMs);
      try {
        const token = await client.send(
          new CreateTokenCommand({ clientId, clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: device.deviceCode }),
        );
        const entry: SsoCachedToken = {
          startUrl: settings.startUrl,
          region: settings.ssoRegion,
          accessToken: token.accessToken ?? '',
          expiresAt: isoSeconds(Date.now() + (token.expiresIn ?? 0) * 1000),
          clientId,
          clientSecret,
          registrationExpiresAt,
          ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
        };
        await writeSsoCache(cachePath, entry);
        return { cachePath, expiresAt: entry.expiresAt, reusedRegistration: Boolean(reusable) };
      } catch (error) {
        if (error instanceof AuthorizationPendingException) continue;
        if (error instanceof SlowDownException) {
          // RFC 8628: back off by five seconds' worth of the interval's scale.
          intervalMs += Math.max(1000, intervalMs);
          continue;
        }
        if (error instanceof ExpiredTokenException || Date.now() > deadline) {
          throw new PortholeError(
            'credentials',
            'The sign-in code expired before it was approved in the browser.',
            { fix: `Run porthole login ${options.profile} again and approve the code within its time.` },
          );
        }
        throw error;
      }
    }
  } catch (error) {
    if (error instanceof PortholeError) throw error;
    const name = (error as { name?: string }).name ?? 'Error';
    // The SDK's message names the failure; it never holds the client secret or token.
    throw new PortholeError(
      'credentials',
      `IAM Identity Center sign-in for profile ${options.profile} failed: ${name}: ${(error as Error).message}`,
      { fix: `Check sso_start_url and sso_region for profile ${options.profile}, then run porthole login ${options.profile} again.`, cause: error },
    );
  } finally {
    client.destroy();
  }
}
