import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';

/** Port 22 of an instance as the outside reaches it: in front of its sshd, behind its firewall. */
export interface SshFirewall {
  port: number;
  close(): Promise<void>;
}

/**
 * A real instance's sshd is behind Lightsail's firewall; a sandbox one
 * shares loopback with everything, so this stands in front of it: each new
 * connection is let through to sshd only when `admits` says the instance's
 * port 22 rules allow where it comes from (read at that moment, so a rule
 * changed a moment ago counts), and refused with a reset otherwise, where a
 * real firewall would drop it and leave the client waiting.
 */
export async function startSshFirewall(sshdPort: number, admits: (socketAddress: string) => boolean): Promise<SshFirewall> {
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    if (!admits(client.remoteAddress ?? '')) {
      client.resetAndDestroy();
      return;
    }
    const sshd = connect({ host: '127.0.0.1', port: sshdPort });
    track(sshd);
    // A firewall adds no wait of its own: small SSH packets go on at once, both ways.
    client.setNoDelay(true);
    sshd.setNoDelay(true);
    const end = () => {
      client.destroy();
      sshd.destroy();
    };
    for (const socket of [client, sshd]) {
      socket.once('error', end);
      socket.once('close', end);
    }
    client.pipe(sshd).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
