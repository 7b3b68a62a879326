import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { PortholeError } from '../errors.js';

export const SESSION_COOKIE = 'code-server-session';

/**
 * Logs in to code-server the way its login form does, and returns the value
 * of its session cookie. The password travels only in the POST body.
 */
export async function loginToCodeServer(baseUrl: string, password: string, workspace: string, agent?: HttpAgent | HttpsAgent): Promise<string> {
  const url = new URL('login', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const body = new URLSearchParams({ password, base: '.', href: url.origin + '/' }).toString();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const answer = await new Promise<{ status: number; cookies: string[] }>((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      ...(agent ? { agent } : {}),
      timeout: 15_000,
    });
    req.once('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, cookies: response.headers['set-cookie'] ?? [] });
    });
    req.once('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.once('error', reject);
    req.end(body);
  }).catch((error: unknown) => {
    throw new PortholeError('network', `code-server of ${workspace} did not answer its login: ${error instanceof Error ? error.message : String(error)}`, {
      fix: 'Check that the workspace is ready, then try again.',
      cause: error,
    });
  });
  const session = answer.cookies.map((line) => line.split(';')[0]!).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (answer.status >= 300 && answer.status < 400 && session) return session.slice(SESSION_COOKIE.length + 1);
  if (answer.status === 200 || answer.status === 401) {
    throw new PortholeError('access-denied', `code-server of ${workspace} refused the password kept in the keychain.`, {
      fix: `Run "porthole password ${workspace} --reset" to set a new password on the workspace and in the keychain.`,
    });
  }
  if (answer.status === 429) {
    throw new PortholeError('throttled', `code-server of ${workspace} is refusing logins for a while after too many attempts.`, { fix: 'Wait a minute, then try again.' });
  }
  throw new PortholeError('service', `code-server of ${workspace} answered its login with HTTP ${answer.status}.`, { fix: 'Try again in a moment.' });
}
