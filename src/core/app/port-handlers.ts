import type { PortholeHandlers, WorkspaceRef } from '../../shared/contract.js';
import type { WorkspacePortView } from '../../shared/ports.js';
import { PortholeError } from '../errors.js';
import type { PortPreferences } from '../ports/forward-plan.js';
import type { DashboardContext } from './dashboard-context.js';

export type PortHandlers = Pick<PortholeHandlers, 'listPorts' | 'forwardPort' | 'stopForwarding' | 'openPort' | 'copyPortAddress'>;

/** The Ports panel's calls: the user's choices go to the ports store, which the account's forwarder follows. */
export function portHandlers(context: DashboardContext): PortHandlers {
  const view = (ref: WorkspaceRef): WorkspacePortView[] => {
    const session = context.session(ref.account);
    return session.ports.view(session.engine.get(ref.name, ref.region));
  };
  const choose = async (ref: WorkspaceRef, change: (current: PortPreferences) => PortPreferences): Promise<WorkspacePortView[]> => {
    const session = context.session(ref.account);
    const workspace = session.engine.get(ref.name, ref.region);
    await session.ports.store.update({ account: session.name, region: workspace.region, name: workspace.name }, change);
    await session.ports.forwarder.update(workspace);
    return view(ref);
  };
  const localAddress = (ref: WorkspaceRef & { port: number }): string => {
    const line = view(ref).find((p) => p.port === ref.port);
    if (!line?.localAddress) {
      throw new PortholeError('wrong-state', `Port ${ref.port} of ${ref.name} is not forwarded.`, { fix: `Forward it first (Forward in the Ports panel, or "porthole forward ${ref.name} ${ref.port}").` });
    }
    return line.localAddress;
  };
  return {
    listPorts: async (ref) => view(ref),
    forwardPort: ({ port, localPort, ...ref }) =>
      choose(ref, (p) => ({ ...p, manual: [...p.manual.filter((m) => m.port !== port), { port, ...(localPort !== undefined ? { localPort } : {}) }], stopped: p.stopped.filter((s) => s !== port) })),
    stopForwarding: async ({ port, ...ref }) => {
      const ports = await choose(ref, (p) => ({ ...p, manual: p.manual.filter((m) => m.port !== port), stopped: p.stopped.includes(port) ? p.stopped : [...p.stopped, port] }));
      context.events.log('info', `Stopped forwarding port ${port} of ${ref.name} until it stops or Porthole quits.`, ref);
      return ports;
    },
    openPort: async (ref) => {
      const address = localAddress(ref);
      await context.options.openExternal(`${address}/`);
      return { opened: address };
    },
    copyPortAddress: async (ref) => {
      const address = localAddress(ref);
      await context.options.copyToClipboard(address);
      return { copied: address };
    },
  };
}
