import { useEffect, useState } from 'react';
import type { PortholeApi } from '../../shared/contract';
import type { WorkspacePortView } from '../../shared/ports';
import type { Workspace } from '../../shared/workspace';

const ORIGIN_WORDS = { auto: 'auto', declared: 'declared', manual: 'manual' } as const;

/**
 * A ready workspace's ports: what listens there, where each is reached
 * here, and Open in browser, Stop forwarding (or Forward) and Copy address.
 * It follows the core's portsChanged events.
 */
export function PortsPanel(props: { api: PortholeApi; workspace: Workspace; run: (label: string, call: () => Promise<unknown>) => void }) {
  const { api, workspace, run } = props;
  const [ports, setPorts] = useState<WorkspacePortView[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const ref = { name: workspace.name, region: workspace.region };
  const listed = (workspace.ports ?? []).map((p) => p.port).join(',');

  useEffect(() => {
    let current = true;
    void api
      .listPorts({ name: workspace.name, region: workspace.region })
      .then((lines) => current && setPorts(lines))
      .catch(() => undefined);
    const stop = api.on('portsChanged', (event) => {
      if (event.name !== workspace.name || event.region !== workspace.region) return;
      setPorts(event.ports);
      setProblem(event.problem);
    });
    return () => {
      current = false;
      stop();
    };
  }, [api, workspace.name, workspace.region, listed]);

  if (ports.length === 0 && !problem) return null;
  return (
    <section className="ports-panel" aria-label={`Ports of ${workspace.name}`} data-workspace={workspace.name}>
      <h3>Ports of {workspace.name}</h3>
      {problem && <p className="reason">Forwarding does not work right now: {problem}</p>}
      <table className="ports">
        <thead>
          <tr>
            <th scope="col">Port</th>
            <th scope="col">Process</th>
            <th scope="col">Local address</th>
            <th scope="col">Forwarded</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {ports.map((p) => (
            <tr key={p.port} data-port={p.port}>
              <th scope="row">{p.port}</th>
              <td>{p.process ?? '—'}</td>
              <td className="local-address">{p.localAddress ?? '—'}</td>
              <td>{p.origin ? ORIGIN_WORDS[p.origin] : 'no'}</td>
              <td className="actions">
                {p.localAddress ? (
                  <>
                    <button type="button" onClick={() => run(`Opening port ${p.port}`, () => api.openPort({ ...ref, port: p.port }))}>
                      Open in browser
                    </button>
                    <button
                      type="button"
                      title="Until the workspace stops or Porthole quits; then it is forwarded by itself again"
                      onClick={() => run(`Stopping port ${p.port}`, () => api.stopForwarding({ ...ref, port: p.port }).then(setPorts))}
                    >
                      Stop forwarding
                    </button>
                    <button type="button" onClick={() => run(`Copying port ${p.port}'s address`, () => api.copyPortAddress({ ...ref, port: p.port }))}>
                      Copy address
                    </button>
                  </>
                ) : (
                  <button type="button" onClick={() => run(`Forwarding port ${p.port}`, () => api.forwardPort({ ...ref, port: p.port }).then(setPorts))}>
                    Forward
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
