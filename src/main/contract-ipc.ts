import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { answerCall } from '../core/app/contract-dispatch.js';
import type { DashboardService } from '../core/app/dashboard-service.js';
import { CALL_NAMES } from '../shared/contract.js';
import { callChannel, EVENT_CHANNEL, type BridgeOutcome } from '../shared/porthole-bridge.js';
import { isTrustedSender } from './sender-policy.js';

/** Who may call: the dashboard's webContents (when one is open) showing this file. */
export interface TrustedDashboard {
  webContents(): WebContents | undefined;
  rendererUrl: string;
}

const REFUSED: BridgeOutcome = {
  ok: false,
  error: { kind: 'access-denied', message: 'Only the Porthole dashboard may make this call.', fix: 'Use the dashboard window.' },
};

/**
 * One handler per call of the contract, generated from CALL_NAMES, each
 * checking the sender before the service hears of it; and the service's
 * events sent to the dashboard. Returns what undoes both.
 */
export function serveContractIpc(service: DashboardService, dashboard: TrustedDashboard): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event: IpcMainInvokeEvent, request: unknown): Promise<BridgeOutcome> => {
      if (!trusted(event, dashboard)) return REFUSED;
      const reply = await answerCall(service.handlers, { id: 0, call: name, request: request ?? {} });
      return reply.ok ? { ok: true, response: reply.response } : { ok: false, error: reply.error };
    });
  }
  const unsubscribe = service.events.subscribe((event, payload) => {
    const contents = dashboard.webContents();
    // Sent only while the dashboard shows its own page, never to whatever it was made to load.
    if (contents && !contents.isDestroyed() && isTrustedSender({ url: contents.getURL(), isMainFrame: true, webContentsId: contents.id }, { webContentsId: contents.id, rendererUrl: dashboard.rendererUrl })) {
      contents.send(EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}

function trusted(event: IpcMainInvokeEvent, dashboard: TrustedDashboard): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(
    { url: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame, webContentsId: event.sender.id },
    { webContentsId: dashboard.webContents()?.id, rendererUrl: dashboard.rendererUrl },
  );
}
