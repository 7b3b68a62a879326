import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceView } from '../../../test/support/workspace-view.js';
import { parseBoxVersions, writeDiagnosticsArchive } from './diagnostics-archive.js';

describe('writeDiagnosticsArchive', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('writes one folder of redacted files into a .tar.gz, and says why logs are missing when the box could not be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-diag-spec-'));
    dirs.push(dir);
    const archive = await writeDiagnosticsArchive(
      {
        workspace: workspaceView({ name: 'demo', state: 'stopped', reason: 'password Hunter2Hunter2 was wrong' }),
        history: [{ at: '2026-12-04T05:00:00.000Z', type: 'workspace-changed', workspace: 'demo', detail: 'ready -> stopped [cloud]' }],
        logs: { unavailable: 'The box is stopped.' },
        versions: { porthole: '0.1.0' },
        secrets: ['Hunter2Hunter2'],
      },
      join(dir, 'out.tar.gz'),
      new Date('2026-12-04T05:06:07Z'),
    );
    expect(archive.files).toEqual([
      'porthole-diagnostics-demo-20261204T050607Z/workspace.json',
      'porthole-diagnostics-demo-20261204T050607Z/events.ndjson',
      'porthole-diagnostics-demo-20261204T050607Z/versions.json',
      'porthole-diagnostics-demo-20261204T050607Z/logs/unavailable.txt',
    ]);
    execFileSync('tar', ['-xzf', archive.path, '-C', dir]);
    const root = join(dir, 'porthole-diagnostics-demo-20261204T050607Z');
    expect(await readFile(join(root, 'workspace.json'), 'utf8')).toContain('"reason": "password [redacted] was wrong"');
    expect(await readFile(join(root, 'logs', 'unavailable.txt'), 'utf8')).toBe('The box is stopped.\n');
    expect((await readdir(tmpdir())).filter((entry) => entry.startsWith('porthole-diagnostics-'))).toEqual([]);
  });
});

describe('parseBoxVersions', () => {
  it('reads key=value lines, and code-server from its log when it is not on the PATH', () => {
    const versions = parseBoxVersions('box-kernel=Linux 6.1 x86_64\nbox-os=Debian GNU/Linux 12\nbox-ssh=OpenSSH_9.2p1\n', [
      { source: 'code-server', text: '[2026-12-04T05:28:55.189Z] info  code-server 4.100.3 409c64e0df4d53530e59c16acc2b5d5766f717b0' },
    ]);
    expect(versions).toEqual({ 'box-kernel': 'Linux 6.1 x86_64', 'box-os': 'Debian GNU/Linux 12', 'box-ssh': 'OpenSSH_9.2p1', 'code-server': '4.100.3 409c64e0df4d53530e59c16acc2b5d5766f717b0' });
  });
});
