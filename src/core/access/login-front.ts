import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SessionCookies, WorkspaceSession } from './workspace-access.js';

/** Where a browser turns the one-time link into code-server's session cookie. */
export const LOGIN_PATH = '/.porthole/login';

export interface LoginFront {
  /** The one-time link: the first visit gets the session cookie, any later one is refused. */
  loginUrl: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * A small front of a workspace's tunnel on 127.0.0.1, for a browser Porthole
 * cannot hand cookies to: the one-time link sets code-server's session
 * cookie (HttpOnly), then every request and WebSocket is passed through to
 * the tunnel. Requests for any other Host, and WebSockets from another
 * origin, are refused, so no other page or DNS name can borrow the session.
 */
export async function startLoginFront(session: WorkspaceSession): Promise<LoginFront> {
  const target = new URL(session.origin);
  const targetPort = Number(target.port);
  const token = randomBytes(32).toString('base64url');
  let tokenUsed = false;
  // The cookies the link gave the browser. A session that logs in again (its tunnel followed a restore in place) has new ones, which go upstream in their place.
  const handed = new Set<string>();
  const cookieHeader = (header: string | undefined) => renewedCookies(header, handed, session.cookies);
  let allowedHosts: Set<string> = new Set();
  let origin = '';

  const server: Server = createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(res, 421, 'This address serves only its own host name.');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === LOGIN_PATH) {
      const given = Buffer.from(url.searchParams.get('token') ?? '');
      if (tokenUsed || given.length !== token.length || !timingSafeEqual(given, Buffer.from(token))) {
        return refuse(res, 403, 'This login link was used already or is wrong. Run "porthole open" again for a new one.');
      }
      tokenUsed = true;
      for (const c of session.cookies) handed.add(`${c.name}=${c.value}`);
      const cookies = session.cookies.map((c) => `${c.name}=${c.value}; Path=${c.path}; HttpOnly; SameSite=Strict`);
      res.writeHead(303, { location: '/', 'set-cookie': cookies, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
      return;
    }
    forward(req, res, targetPort, cookieHeader(req.headers.cookie));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!allowedHosts.has(req.headers.host ?? '') || (req.headers.origin !== undefined && req.headers.origin !== origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: targetPort }, () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'cookie' ? cookieHeader(req.rawHeaders[i + 1]) : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    origin,
    loginUrl: `${origin}${LOGIN_PATH}?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

/** A Cookie header with each cookie the front handed out replaced by the session's cookie of that name now. */
export function renewedCookies(header: string | undefined, handed: ReadonlySet<string>, now: SessionCookies): string | undefined {
  if (header === undefined || handed.size === 0) return header;
  return header
    .split(/;\s*/)
    .map((pair) => {
      const fresh = now.find((c) => pair.startsWith(`${c.name}=`));
      return fresh && handed.has(pair) ? `${fresh.name}=${fresh.value}` : pair;
    })
    .join('; ');
}

function forward(req: IncomingMessage, res: ServerResponse, port: number, cookie: string | undefined): void {
  const headers = { ...req.headers, host: `127.0.0.1:${port}` };
  if (cookie !== undefined) headers.cookie = cookie;
  const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) refuse(res, 502, 'The workspace tunnel is not answering; Porthole is reconnecting it. Reload in a moment.');
    else res.destroy();
  });
  req.pipe(upstream);
}
