import { type IncomingMessage, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Lightsail call as it crossed the wire. */
export interface Exchange {
  /** From `x-amz-target`, without the service prefix. */
  operation: string;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  /** The parsed JSON answer, or the raw text when it is not JSON. */
  responseBody: unknown;
}

export interface RecordingProxy {
  endpoint: string;
  /** Every exchange since the last call, oldest first. */
  take(): Exchange[];
  close(): Promise<void>;
}

/**
 * A loopback pass-through in front of an endpoint that keeps every request
 * and answer byte for byte, so a suite can judge what a client really sent
 * and what it really got, before any SDK parsed it. Headers are forwarded
 * unchanged, so SigV4 signatures made for the proxy's host still verify.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  let exchanges: Exchange[] = [];
  const server = createServer((incoming, outgoing) => {
    void readAll(incoming).then((requestBody) => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          void readAll(answer).then((responseBody) => {
            const target = String(incoming.headers['x-amz-target'] ?? '');
            exchanges.push({
              operation: target.slice(target.indexOf('.') + 1),
              requestBody: parse(requestBody),
              status: answer.statusCode ?? 0,
              responseHeaders: answer.headers,
              responseBody: parse(responseBody),
            });
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(responseBody);
          });
        },
      );
      forward.on('error', (error) => {
        outgoing.writeHead(502, { 'content-type': 'text/plain' });
        outgoing.end(`recording proxy: ${error.message}`);
      });
      forward.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = exchanges;
      exchanges = [];
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function parse(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
