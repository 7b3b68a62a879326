import { PortholeError } from '../errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/** Where SSH and code-server of one instance are reached from this machine. */
export interface InstanceAccessPoint {
  ssh: HostPort;
  /** The login name to use instead of the certificate's, when the instance maps it (the sandbox's local user). */
  sshUser?: string;
  /** Where the tunnel forwards to, seen from the instance. */
  tunnelTarget: HostPort;
  /** code-server's TLS address for direct access; null when it serves the tunnel only. */
  direct: HostPort | null;
  /** The same TLS port seen from the instance, where a tunnel reads the certificate to pin. */
  directTarget?: HostPort;
}

/** Finds the SSH endpoint of an instance: its public IP on AWS, the emulator's port mapping in the sandbox. */
export interface SshEndpointResolver {
  resolve(region: string, instanceName: string, publicIp: string | undefined): Promise<InstanceAccessPoint>;
}

/** On Lightsail: port 22 of the public IP, code-server on the instance's loopback 8080, TLS on 8443. */
export const awsEndpointResolver: SshEndpointResolver = {
  resolve(_region, instanceName, publicIp) {
    if (!publicIp) {
      return Promise.reject(
        new PortholeError('wrong-state', `The instance "${instanceName}" has no public IP address yet, so it cannot be reached over SSH.`, {
          fix: 'Wait until the workspace is ready, then try again.',
        }),
      );
    }
    return Promise.resolve({ ssh: { host: publicIp, port: 22 }, tunnelTarget: { host: '127.0.0.1', port: 8080 }, direct: { host: publicIp, port: 8443 }, directTarget: { host: '127.0.0.1', port: 8443 } });
  },
};

interface PublishedEndpoints {
  ssh: HostPort & { user?: string };
  codeServer: HostPort;
  direct: HostPort | null;
}

/**
 * In the sandbox every instance shares loopback, so lightsail-local publishes
 * each one's ports on its control endpoint. `ssh` asks for them as soon as
 * sshd listens, while code-server may still be coming up (a status read).
 */
export function sandboxEndpointResolver(endpoint: string, until: 'all' | 'ssh' = 'all'): SshEndpointResolver {
  return {
    async resolve(region, instanceName) {
      const url = `${endpoint.replace(/\/$/, '')}/_emulator/instances/${encodeURIComponent(region)}/${encodeURIComponent(instanceName)}/endpoints${until === 'ssh' ? '?until=ssh' : ''}`;
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw new PortholeError('network', `The sandbox (lightsail-local at ${endpoint}) did not answer where instance "${instanceName}" listens.`, {
          fix: 'Check that the sandbox is still running ("porthole emulator" or the app), then try again.',
          cause: error,
        });
      }
      const body = (await response.json().catch(() => ({}))) as Partial<PublishedEndpoints> & { error?: string; message?: string };
      if (response.status === 503) {
        throw new PortholeError('service', `The sandbox instance "${instanceName}" is still starting its sshd: ${body.error ?? 'ask again in a moment'}`, {
          fix: 'Wait a moment; Porthole asks again at the next refresh.',
        });
      }
      if (!response.ok || !body.ssh || !body.codeServer) {
        throw new PortholeError('wrong-state', `The sandbox instance "${instanceName}" has no SSH endpoint: ${body.error ?? body.message ?? `HTTP ${response.status}`}`, {
          fix: 'Make sure the workspace is running; if code-server is missing, run "porthole sandbox install".',
        });
      }
      return {
        ssh: { host: body.ssh.host, port: body.ssh.port },
        ...(body.ssh.user ? { sshUser: body.ssh.user } : {}),
        tunnelTarget: body.codeServer,
        direct: body.direct ?? null,
        ...(body.direct ? { directTarget: body.direct } : {}),
      };
    },
  };
}
