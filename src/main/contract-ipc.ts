import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { answerCall } from '../core/app/contract-dispatch.js';
import type { DashboardConnection, DashboardService } from '../core/app/dashboard-service.js';
import type { AnyEventListener } from '../core/app/event-hub.js';
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

export interface ContractIpc {
  /** The dashboard window closed: the log streams its page opened stop. */
  pageGone(): void;
  /** Undoes the handlers and stops the events. */
  stop(): void;
}

/**
 * One handler per call of the contract, generated from CALL_NAMES, each
 * checking the sender before the service hears of it; and the service's
 * events sent to the dashboard. The dashboard's page is one connection of
 * the service, made afresh when a window closes.
 */
export function serveContractIpc(service: DashboardService, dashboard: TrustedDashboard): ContractIpc {
  const send: AnyEventListener = (event, payload) => {
    const contents = dashboard.webContents();
    // Sent only while the dashboard shows its own page, never to whatever it was made to load.
    if (contents && !contents.isDestroyed() && isTrustedSender({ url: contents.getURL(), isMainFrame: true, webContentsId: contents.id }, { webContentsId: contents.id, rendererUrl: dashboard.rendererUrl })) {
      contents.send(EVENT_CHANNEL, event, payload);
    }
  };
  let connection: DashboardConnection = service.connect(send);
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event: IpcMainInvokeEvent, request: unknown): Promise<BridgeOutcome> => {
      if (!trusted(event, dashboard)) return REFUSED;
      const reply = await answerCall(connection.handlers, { id: 0, call: name, request: request ?? {} });
      return reply.ok ? { ok: true, response: reply.response } : { ok: false, error: reply.error };
    });
  }
  return {
    pageGone: () => {
      const gone = connection;
      connection = service.connect(send);
      void gone.close();
    },
    stop: () => {
      void connection.close();
      for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
    },
  };
}

function trusted(event: IpcMainInvokeEvent, dashboard: TrustedDashboard): boolean {
  const frame = event.senderFrame;
  return isTrustedSender(
    { url: frame?.url, isMainFrame: frame !== null && frame === event.sender.mainFrame, webContentsId: event.sender.id },
    { webContentsId: dashboard.webContents()?.id, rendererUrl: dashboard.rendererUrl },
  );
}
