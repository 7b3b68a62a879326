import type { PortholeApi } from '../../shared/contract';
import type { PortholeBridge } from '../../shared/porthole-bridge';
import { bridgeApi } from './bridge-api';
import { connectSocketApi } from './socket-api';

declare global {
  interface Window {
    /** Given by the Electron preload; absent in a browser. */
    porthole?: PortholeBridge;
  }
}

/** The one place that decides how the dashboard reaches the core: Electron IPC in the app, the WebSocket in a browser. */
export function portholeApi(): PortholeApi {
  if (window.porthole) return bridgeApi(window.porthole);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return connectSocketApi(`${scheme}//${location.host}/api`);
}
