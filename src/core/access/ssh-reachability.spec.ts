import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sshAnswers } from './ssh-reachability.js';

describe('sshAnswers', () => {
  const servers: Server[] = [];
  const held: Socket[] = [];
  const serve = async (onConnection: (socket: Socket) => void) => {
    const server = createServer((socket) => {
      held.push(socket);
      onConnection(socket);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  };

  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('passes once the server greets with an SSH banner, even one split across packets', async () => {
    const at = await serve((socket) => {
      socket.write('SS');
      setTimeout(() => socket.write('H-2.0-OpenSSH_9.2\r\n'), 20);
    });
    await expect(sshAnswers('demo', at)).resolves.toBeUndefined();
  });

  it('fails as a network problem, naming the firewall, when a firewall in front takes the connection and resets it', async () => {
    const at = await serve((socket) => socket.resetAndDestroy());
    const failure = await sshAnswers('demo', at).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'network', problem: `The SSH port of demo at 127.0.0.1:${at.port} did not answer: the connection was reset.` });
    expect((failure as Error).message).toContain('"porthole firewall demo" lists who may connect');
  });

  it('fails when nothing listens, when the server says nothing in time, and when it is not an SSH server', async () => {
    const closed = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(sshAnswers('demo', closed)).rejects.toMatchObject({ kind: 'network', problem: expect.stringContaining('ECONNREFUSED') });
    const silent = await serve(() => undefined);
    await expect(sshAnswers('demo', silent, 200)).rejects.toMatchObject({ problem: expect.stringContaining('did not answer: no greeting within 200 ms') });
    const web = await serve((socket) => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(sshAnswers('demo', web)).rejects.toMatchObject({ problem: expect.stringContaining('something other than an SSH server answered') });
  });
});
