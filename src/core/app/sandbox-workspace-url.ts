import type { Workspace } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';

interface EndpointsAnswer {
  codeServer?: { host: string; port: number };
  error?: string;
}

/**
 * Where a Sandbox workspace's code-server answers: lightsail-local runs it on
 * this machine's loopback and publishes the port. On AWS the same address is
 * the far end of the SSH tunnel; here the browser can reach it directly.
 */
export async function sandboxWorkspaceUrl(sandboxEndpoint: string, workspace: Workspace): Promise<string> {
  if (workspace.state !== 'ready') {
    throw new PortholeError('wrong-state', `Workspace "${workspace.name}" is ${workspace.state}; it can be opened once it is ready.`, {
      fix: workspace.state === 'stopped' ? 'Start it first.' : workspace.state === 'hibernated' ? 'Resume it first.' : 'Wait until it is ready.',
    });
  }
  const route = `${sandboxEndpoint}/_emulator/instances/${encodeURIComponent(workspace.region)}/${encodeURIComponent(workspace.name)}/endpoints`;
  let answer: EndpointsAnswer;
  try {
    answer = (await (await fetch(route, { signal: AbortSignal.timeout(60_000) })).json()) as EndpointsAnswer;
  } catch (error) {
    throw new PortholeError('network', `The Sandbox did not say where "${workspace.name}" listens.`, { fix: 'Check that Porthole is still running, then try again.', cause: error });
  }
  if (!answer.codeServer) {
    throw new PortholeError('usage', `Workspace "${workspace.name}" has no code-server running in the Sandbox. ${answer.error ?? ''}`.trim(), {
      fix: 'Run "porthole sandbox install" once, then open it again.',
    });
  }
  return `http://${answer.codeServer.host}:${answer.codeServer.port}/`;
}
