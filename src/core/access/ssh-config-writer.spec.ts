import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceView } from '../../../test/support/workspace-view.js';
import { ensureSshHost, writeSshConfig } from './ssh-config-writer.js';

let home: string;
const launcher = '/opt/Porthole Apps/resources/cli/porthole';
const alpha = workspaceView({ name: 'alpha', publicIp: '203.0.113.7' });
const beta = workspaceView({ name: 'beta', publicIp: '203.0.113.8' });

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'porthole-ssh-home-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('ensureSshHost (Open in VS Code)', () => {
  it('writes the entry and the Include line the first time, on a home with no ~/.ssh, which it makes private', async () => {
    const first = await ensureSshHost({ home, workspace: alpha, workspaces: [alpha], command: [launcher] });
    expect(first).toEqual({ host: 'porthole-alpha', written: true });
    expect((await stat(join(home, '.ssh'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(home, '.ssh', 'porthole', 'config'))).mode & 0o777).toBe(0o600);
    const config = await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8');
    expect(config).toContain(`  ProxyCommand '${launcher}' ssh-proxy alpha --region us-east-1\n`);
    expect(await readFile(join(home, '.ssh', 'config'), 'utf8')).toBe(`Include "${join(home, '.ssh', 'porthole', 'config')}"\n`);
  });

  it('changes nothing when the entry is there, and writes again for a workspace without one', async () => {
    await ensureSshHost({ home, workspace: alpha, workspaces: [alpha], command: [launcher] });
    expect(await ensureSshHost({ home, workspace: alpha, workspaces: [alpha, beta], command: [launcher] })).toEqual({ host: 'porthole-alpha', written: false });
    expect(await ensureSshHost({ home, workspace: beta, workspaces: [alpha, beta], command: [launcher] })).toEqual({ host: 'porthole-beta', written: true });
    expect(await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8')).toMatch(/Host porthole-alpha\n[\s\S]*Host porthole-beta\n/);
  });

  it("keeps the user's own ~/.ssh/config below the one Include line, and adds it back when it was taken out", async () => {
    await mkdir(join(home, '.ssh'), { mode: 0o700 });
    await writeFile(join(home, '.ssh', 'config'), 'Host work\n  HostName example.org\n');
    await ensureSshHost({ home, workspace: alpha, workspaces: [alpha], command: ['/usr/bin/node', '/src/bin/porthole.js'] });
    const include = `Include "${join(home, '.ssh', 'porthole', 'config')}"\n`;
    expect(await readFile(join(home, '.ssh', 'config'), 'utf8')).toBe(`${include}\nHost work\n  HostName example.org\n`);
    await writeFile(join(home, '.ssh', 'config'), 'Host work\n');
    expect((await ensureSshHost({ home, workspace: alpha, workspaces: [alpha], command: [launcher] })).written).toBe(true);
    expect(await readFile(join(home, '.ssh', 'config'), 'utf8')).toBe(`${include}\nHost work\n`);
  });
});

describe('writeSshConfig (porthole ssh-config)', () => {
  it('says which hosts it wrote and whether it added the Include line', async () => {
    expect(await writeSshConfig({ home, workspaces: [alpha, beta], command: [launcher], userOverride: 'me' })).toMatchObject({ hosts: ['porthole-alpha', 'porthole-beta'], includeAdded: true });
    expect(await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8')).toContain('  User me\n');
    expect((await writeSshConfig({ home, workspaces: [alpha], command: [launcher] })).includeAdded).toBe(false);
  });
});
