import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/workspace.js';
import { vscodeRemoteLink } from './vscode-remote-link.js';
import { workspaceView } from '../../../test/support/workspace-view.js';

const workspace = (name: string, region: string, blueprintId = 'ubuntu_24_04'): Workspace => workspaceView({ name, region, blueprintId });

describe('vscodeRemoteLink', () => {
  it("opens the ssh-config host in the blueprint user's home", () => {
    const api = workspace('api', 'us-east-1');
    expect(vscodeRemoteLink(api, [api])).toBe('vscode://vscode-remote/ssh-remote+porthole-api/home/ubuntu');
    const debian = workspace('db', 'us-east-1', 'debian_12');
    expect(vscodeRemoteLink(debian, [debian])).toBe('vscode://vscode-remote/ssh-remote+porthole-db/home/admin');
  });

  it('names the region when the name is used in several', () => {
    const east = workspace('api', 'us-east-1');
    const paris = workspace('api', 'eu-west-3');
    expect(vscodeRemoteLink(paris, [east, paris])).toBe('vscode://vscode-remote/ssh-remote+porthole-api.eu-west-3/home/ubuntu');
  });
});
