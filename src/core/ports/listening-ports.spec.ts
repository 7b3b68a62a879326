import { describe, expect, it } from 'vitest';
import { SERVICE_PROCESSES, parseListeners, workspacePorts } from './listening-ports.js';

const SERVICES = { ports: [22, 8080], processes: SERVICE_PROCESSES };

describe('the ports a workspace listens on', () => {
  it('reads ss lines with the process behind each port where ss tells', () => {
    const lines = [
      'LISTEN 0      511          0.0.0.0:3000       0.0.0.0:*    users:(("node",pid=812,fd=21))',
      'LISTEN 0      5          127.0.0.1:8888       0.0.0.0:*    users:(("jupyter-lab",pid=90,fd=5),("jupyter-lab",pid=91,fd=5))',
      'LISTEN 0      128             [::]:5432          [::]:*',
      'LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=400,fd=14))',
    ];
    expect(parseListeners(lines)).toEqual([
      { address: '0.0.0.0', port: 3000, process: 'node', pid: 812 },
      { address: '127.0.0.1', port: 8888, process: 'jupyter-lab', pid: 90 },
      { address: '[::]', port: 5432 },
      { address: '127.0.0.53%lo', port: 53, process: 'systemd-resolve', pid: 400 },
    ]);
  });

  it('reads the kernel tables where ss is missing: only listening sockets, addresses in their byte order', () => {
    const lines = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 125 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:0BB8 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 126 1 0000000000000000 100 0 0 10 0',
      '   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 127 1 0000000000000000 100 0 0 10 0',
      '   0: 00000000000000000000000001000000:1F41 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 128 1 0000000000000000 100 0 0 10 0',
    ];
    expect(parseListeners(lines)).toEqual([
      { address: '127.0.0.1', port: 3000 },
      { address: '0.0.0.0', port: 8080 },
      { address: '[::1]', port: 8001 },
    ]);
  });

  it('leaves out sshd, code-server and the idle agent, by name and by their ports, and ports bound to outside addresses only', () => {
    const ports = workspacePorts(
      [
        { address: '0.0.0.0', port: 22, process: 'sshd', pid: 1 },
        { address: '127.0.0.1', port: 8080, process: 'node', pid: 2 },
        { address: '127.0.0.1', port: 41000, process: 'code-server', pid: 3 },
        { address: '10.0.0.5', port: 4000, process: 'api', pid: 4 },
        { address: '127.0.0.1', port: 3000, process: 'node', pid: 5 },
      ],
      SERVICES,
    );
    expect(ports).toEqual([{ port: 3000, host: '127.0.0.1', process: 'node' }]);
  });

  it('lists a port once when it is bound on IPv4 and IPv6, reached over IPv6 loopback only when that is all it listens on', () => {
    const ports = workspacePorts(
      [
        { address: '[::]', port: 5173 },
        { address: '0.0.0.0', port: 5173, process: 'vite', pid: 7 },
        { address: '[::1]', port: 6006, process: 'storybook', pid: 8 },
      ],
      SERVICES,
    );
    expect(ports).toEqual([
      { port: 5173, host: '127.0.0.1', process: 'vite' },
      { port: 6006, host: '::1', process: 'storybook' },
    ]);
  });

  it("keeps only the scope's processes when the instance names them (a sandbox instance sharing this machine)", () => {
    const listeners = [
      { address: '127.0.0.1', port: 3000, process: 'python3', pid: 10 },
      { address: '127.0.0.1', port: 3001, process: 'python3', pid: 11 },
      { address: '127.0.0.1', port: 3002 },
    ];
    expect(workspacePorts(listeners, SERVICES, new Set([11])).map((p) => p.port)).toEqual([3001]);
    expect(workspacePorts(listeners, SERVICES).map((p) => p.port)).toEqual([3000, 3001, 3002]);
  });
});
