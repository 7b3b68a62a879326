import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { DashboardService } from '../../core/app/dashboard-service.js';
import { MAX_MESSAGE_BYTES, serveContract } from './contract-socket.js';
import { DOWNLOADS_PATH, type OneTimeDownloads } from './one-time-downloads.js';
import { staticFile } from './static-files.js';
import { UiSession } from './ui-session.js';

const CONTRACT_PATH = '/api';

/** Sent with every answer: the same policy as the page's meta tag, plus what only a header can say. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export interface UiServer {
  /** The address to open, with the one-time token. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The dashboard for a browser: the built renderer and the contract over a
 * WebSocket, on loopback only. A page is served only to the holder of the
 * session cookie; the WebSocket also checks that the page asking is this
 * server's own (Origin), so another site open in the same browser cannot
 * drive it.
 */
export async function startUiServer(options: { service: DashboardService; rendererDir: string; port?: number; downloads?: OneTimeDownloads }): Promise<UiServer> {
  const session = new UiSession();
  let origin = '';
  const server = createServer((request, response) => {
    void answer(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) is not this dashboard.
    if (request.headers.host !== new URL(origin).host) return refuse(response, `Open the dashboard at ${origin}.`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.searchParams.has('token')) {
      const granted = session.exchange(url.searchParams.get('token'));
      if (!granted) return refuse(response, 'This link has been used already or is wrong.');
      // Drop the token from the address bar and from history.
      response.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': session.cookie(granted), Location: '/' }).end();
      return;
    }
    if (!session.accepts(request.headers.cookie)) return refuse(response, 'Open the address "porthole ui" printed.');
    if (url.pathname.startsWith(DOWNLOADS_PATH) && request.method === 'GET') {
      const download = await options.downloads?.take(url.pathname);
      if (!download) {
        response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('This download has been fetched already or is unknown.\n');
        return;
      }
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/gzip',
        'Content-Length': download.body.length,
        'Content-Disposition': `attachment; filename="${download.fileName.replace(/[^\w.-]/g, '_')}"`,
      });
      response.end(download.body);
      return;
    }
    const file = await staticFile(options.rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.\n');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    const foreign = request.headers.origin !== origin || request.headers.host !== new URL(origin).host;
    if (path !== CONTRACT_PATH || foreign || !session.accepts(request.headers.cookie)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, options.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${session.token}`,
    origin,
    port,
    close: async () => {
      await options.downloads?.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(response: ServerResponse, why: string): void {
  response.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end(`Porthole: ${why}\n`);
}
