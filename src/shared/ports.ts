/** A TCP port a workspace's own programs listen on, as its status read found it. */
export interface ListeningPort {
  port: number;
  /** Where it is reached on the instance: IPv4 loopback unless the program listens on IPv6 loopback only. */
  host: '127.0.0.1' | '::1';
  /** The program behind it, when the instance tells (its process name). */
  process?: string;
}

/** Why a port is forwarded: it matched the workspace's auto-forward range, a layer or porthole.json lists it, or the user asked. */
export type ForwardOrigin = 'auto' | 'declared' | 'manual';

/** A workspace port reached on this computer through the workspace's SSH connection. */
export interface ForwardedPort {
  /** The port on the instance. */
  port: number;
  /** The port on 127.0.0.1 here; another one than `port` when that one was taken. */
  localPort: number;
  origin: ForwardOrigin;
  process?: string;
}

/** One line of a workspace's Ports panel: a port it listens on (or one forwarded by request) and where it is reached here. */
export interface WorkspacePortView {
  port: number;
  process?: string;
  /** `http://127.0.0.1:<localPort>` while forwarded. */
  localAddress?: string;
  localPort?: number;
  origin?: ForwardOrigin;
  /** Whether the workspace listens on it now (a manual forward may wait for its server). */
  listening: boolean;
}

/** A port forwarded just as its server came up: the "your app is ready" moment. */
export interface PortReady {
  workspace: string;
  region: string;
  port: number;
  localAddress: string;
}
