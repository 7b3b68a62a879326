import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyRequest } from '../sigv4.js';

/**
 * IAM Identity Center's device sign-in as lightsail-local serves it: the SSO
 * OIDC REST-JSON routes (/client/register, /device_authorization, /token) with
 * the real error shapes, and control routes for what a person does in the
 * browser (approve a user code) or what time does (expire tokens).
 */
export interface SsoOidcEmulator {
  url: string;
  /** Access tokens issued and not expired, for the portal routes. */
  isValidAccessToken(token: string): boolean;
  /** Every role credential the portal issued, expired ones too, for the Lightsail front door to check. */
  sessionCredentials(): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number }[];
  /** Who holds role credentials issued by the portal, while they are valid. */
  roleOf(accessKeyId: string): { accountId: string; roleName: string } | undefined;
  close(): Promise<void>;
}

interface Registration {
  clientSecret: string;
  expiresAt: number;
}

interface DeviceCode {
  clientId: string;
  userCode: string;
  expiresAt: number;
  approved: boolean;
  lastPoll: number;
}

/** The accounts and roles the emulated portal assigns to whoever signs in. */
const PORTAL_ACCOUNTS = [
  { accountId: '111122223333', accountName: 'Sandbox Team', emailAddress: 'team@example.com', roles: ['Developer', 'ReadOnly'] },
  { accountId: '444455556666', accountName: 'Sandbox Admin', emailAddress: 'admin@example.com', roles: ['Admin'] },
];

export interface SsoOidcOptions {
  /** Seconds a device code stays valid. */
  deviceCodeSeconds?: number;
  /** Seconds an access token stays valid. */
  accessTokenSeconds?: number;
  /** Seconds between polls before slow_down is answered. */
  intervalSeconds?: number;
  /** Seconds the portal's role credentials stay valid. */
  roleCredentialSeconds?: number;
}

export async function startSsoOidcEmulator(options: SsoOidcOptions = {}): Promise<SsoOidcEmulator> {
  const registrations = new Map<string, Registration>();
  const deviceCodes = new Map<string, DeviceCode>();
  const accessTokens = new Map<string, number>();
  const roleCredentials = new Map<string, { accountId: string; roleName: string; secretAccessKey: string; sessionToken: string; expiresAt: number }>();
  const interval = options.intervalSeconds ?? 1;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { error: 'server_error', error_description: String(error) }, 'InternalServerException');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const now = Date.now();
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'POST' && path === '/' && String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return getCallerIdentity(request, raw, response);
    }
    const body = parseJson(raw);
    if (request.method === 'POST' && path === '/client/register') {
      if (typeof body.clientName !== 'string' || body.clientType !== 'public') {
        return send(response, 400, { error: 'invalid_request', error_description: 'clientName and clientType public are required' }, 'InvalidRequestException');
      }
      const clientId = `client-${randomUUID()}`;
      const registration = { clientSecret: randomBytes(24).toString('base64url'), expiresAt: now + 90 * 86_400_000 };
      registrations.set(clientId, registration);
      return send(response, 200, {
        clientId,
        clientSecret: registration.clientSecret,
        clientIdIssuedAt: Math.floor(now / 1000),
        clientSecretExpiresAt: Math.floor(registration.expiresAt / 1000),
      });
    }
    if (request.method === 'POST' && path === '/device_authorization') {
      if (!validClient(body)) return send(response, 401, { error: 'invalid_client', error_description: 'Unknown client' }, 'InvalidClientException');
      const deviceCode = randomBytes(24).toString('base64url');
      const userCode = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase();
      const seconds = options.deviceCodeSeconds ?? 600;
      deviceCodes.set(deviceCode, { clientId: String(body.clientId), userCode, expiresAt: now + seconds * 1000, approved: false, lastPoll: 0 });
      const verificationUri = `http://${request.headers.host}/start/#/device`;
      return send(response, 200, {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
        expiresIn: seconds,
        interval,
      });
    }
    if (request.method === 'POST' && path === '/token') {
      if (!validClient(body)) return send(response, 401, { error: 'invalid_client', error_description: 'Unknown client' }, 'InvalidClientException');
      const code = deviceCodes.get(String(body.deviceCode));
      if (!code || code.clientId !== body.clientId) return send(response, 400, { error: 'invalid_grant', error_description: 'Invalid device code' }, 'InvalidGrantException');
      if (code.expiresAt <= now) return send(response, 400, { error: 'expired_token', error_description: 'Device code expired' }, 'ExpiredTokenException');
      if (!code.approved) {
        const tooSoon = now - code.lastPoll < interval * 1000 * 0.5;
        code.lastPoll = now;
        if (tooSoon) return send(response, 400, { error: 'slow_down', error_description: 'Client is polling too quickly' }, 'SlowDownException');
        return send(response, 400, { error: 'authorization_pending', error_description: 'Authorization pending' }, 'AuthorizationPendingException');
      }
      deviceCodes.delete(String(body.deviceCode));
      const accessToken = `aoa${randomBytes(32).toString('base64url')}`;
      const seconds = options.accessTokenSeconds ?? 3600;
      accessTokens.set(accessToken, now + seconds * 1000);
      return send(response, 200, { accessToken, tokenType: 'Bearer', expiresIn: seconds, refreshToken: `aor${randomBytes(32).toString('base64url')}` });
    }
    if (request.method === 'GET' && (path === '/assignment/accounts' || path === '/assignment/roles')) {
      // The portal's ListAccounts / ListAccountRoles for a signed-in token.
      const token = String(request.headers['x-amz-sso_bearer_token'] ?? '');
      if (!((accessTokens.get(token) ?? 0) > now)) {
        return send(response, 401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
      }
      if (path === '/assignment/accounts') {
        return send(response, 200, { accountList: PORTAL_ACCOUNTS.map(({ roles: _roles, ...account }) => account) });
      }
      const accountId = new URL(request.url ?? '/', 'http://localhost').searchParams.get('account_id');
      const account = PORTAL_ACCOUNTS.find((a) => a.accountId === accountId);
      if (!account) return send(response, 404, { message: `No account ${accountId ?? ''} is assigned to you` }, 'ResourceNotFoundException');
      return send(response, 200, { roleList: account.roles.map((roleName) => ({ roleName, accountId: account.accountId })) });
    }
    if (request.method === 'GET' && path === '/federation/credentials') {
      // The SSO portal's GetRoleCredentials: short-lived keys for a signed-in token.
      const token = String(request.headers['x-amz-sso_bearer_token'] ?? '');
      if (!((accessTokens.get(token) ?? 0) > now)) {
        return send(response, 401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
      }
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      if (!query.get('role_name') || !/^\d{12}$/.test(query.get('account_id') ?? '')) {
        return send(response, 400, { message: 'role_name and a 12-digit account_id are required' }, 'InvalidRequestException');
      }
      const seconds = options.roleCredentialSeconds ?? 3600;
      const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const secretAccessKey = randomBytes(30).toString('base64');
      const sessionToken = randomBytes(48).toString('base64');
      roleCredentials.set(accessKeyId, {
        accountId: query.get('account_id') ?? '',
        roleName: query.get('role_name') ?? '',
        secretAccessKey,
        sessionToken,
        expiresAt: now + seconds * 1000,
      });
      return send(response, 200, {
        roleCredentials: {
          accessKeyId,
          secretAccessKey,
          sessionToken,
          expiration: now + seconds * 1000,
        },
      });
    }
    if (request.method === 'POST' && path === '/_emulator/sso/approve') {
      const entry = [...deviceCodes.values()].find((code) => code.userCode === body.userCode);
      if (!entry) return send(response, 404, { error: 'not_found', error_description: `No pending sign-in with user code ${String(body.userCode)}` });
      entry.approved = true;
      return send(response, 200, { approved: true });
    }
    if (request.method === 'POST' && path === '/_emulator/sso/expire') {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
      for (const code of deviceCodes.values()) code.expiresAt = 0;
      for (const issued of roleCredentials.values()) issued.expiresAt = 0;
      return send(response, 200, { expired: true });
    }
    return send(response, 404, { error: 'not_found', error_description: `No route ${request.method} ${path}` });
  }

  /** STS GetCallerIdentity (query protocol, XML), for the portal's role credentials, signature checked. */
  function getCallerIdentity(request: IncomingMessage, raw: Buffer, response: ServerResponse): void {
    const form = new URLSearchParams(raw.toString('utf8'));
    if (form.get('Action') !== 'GetCallerIdentity') return sendStsError(response, 400, 'InvalidAction', `Could not find operation ${form.get('Action') ?? ''}`);
    const live = [...roleCredentials.entries()];
    const credentials = live.map(([accessKeyId, issued]) => ({ accessKeyId, secretAccessKey: issued.secretAccessKey }));
    let accessKeyId: string;
    try {
      accessKeyId = verifyRequest(
        { method: request.method ?? 'POST', url: request.url ?? '/', rawHeaders: request.rawHeaders, body: raw },
        { credentials, acceptAnyCredentials: false, now: Date.now, service: 'sts' },
      ).accessKeyId;
    } catch (error) {
      const code = (error as { type?: string }).type ?? 'InvalidClientTokenId';
      return sendStsError(response, 403, code === 'UnrecognizedClientException' ? 'InvalidClientTokenId' : code, (error as Error).message);
    }
    const issued = roleCredentials.get(accessKeyId);
    if (!issued || issued.sessionToken !== request.headers['x-amz-security-token']) {
      return sendStsError(response, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
    if (issued.expiresAt <= Date.now()) return sendStsError(response, 403, 'ExpiredToken', 'The security token included in the request is expired');
    const arn = `arn:aws:sts::${issued.accountId}:assumed-role/AWSReservedSSO_${issued.roleName}/porthole`;
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>${arn}</Arn><UserId>AROALIGHTSAILLOCAL:porthole</UserId><Account>${issued.accountId}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }

  function validClient(body: Record<string, unknown>): boolean {
    const registration = registrations.get(String(body.clientId));
    return registration !== undefined && registration.clientSecret === body.clientSecret && registration.expiresAt > Date.now();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    isValidAccessToken: (token) => (accessTokens.get(token) ?? 0) > Date.now(),
    sessionCredentials: () =>
      [...roleCredentials.entries()].map(([accessKeyId, issued]) => ({
        accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        expiresAt: issued.expiresAt,
      })),
    roleOf: (accessKeyId) => {
      const issued = roleCredentials.get(accessKeyId);
      return issued && issued.expiresAt > Date.now() ? { accountId: issued.accountId, roleName: issued.roleName } : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

function sendStsError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${message.replace(/[<&>]/g, '')}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
