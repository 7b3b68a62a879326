import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/workspace.js';
import { workspaceView } from '../../../test/support/workspace-view.js';
import { commandLineCalls } from './command-line-calls.js';

let home: string;
let opened: string[];
let logged: string[];
const launcher = '/opt/Porthole/resources/cli/porthole';
const api = workspaceView({ name: 'api', publicIp: '203.0.113.7' });

function calls(workspaces: Workspace[], sandbox = false) {
  return commandLineCalls({
    commandLine: { launcher, command: [launcher] },
    env: { HOME: home, PATH: '/usr/bin' },
    workspaces: () => ({ all: workspaces, get: (ref) => workspaces.find((w) => w.name === ref.name)!, sandbox }),
    openVsCodeLink: async (link) => void opened.push(link),
    log: (message) => void logged.push(message),
  });
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'porthole-calls-home-'));
  opened = [];
  logged = [];
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('openInVsCode', () => {
  it('writes the SSH entry naming the shipped launcher the first time, then opens VS Code on it', async () => {
    expect(await calls([api]).openInVsCode({ name: 'api' })).toEqual({ host: 'porthole-api', sshConfigWritten: true });
    expect(opened).toEqual(['vscode://vscode-remote/ssh-remote+porthole-api/home/ubuntu']);
    expect(await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8')).toContain(`  ProxyCommand ${launcher} ssh-proxy api --region us-east-1\n`);
    expect(logged).toEqual([`Wrote the SSH entry porthole-api for VS Code Remote-SSH (${home}/.ssh/porthole/config).`]);
    expect(await calls([api]).openInVsCode({ name: 'api' })).toEqual({ host: 'porthole-api', sshConfigWritten: false });
    expect(opened).toHaveLength(2);
  });

  it("logs in as this computer's user on a Sandbox workspace", async () => {
    await calls([api], true).openInVsCode({ name: 'api' });
    expect(await readFile(join(home, '.ssh', 'porthole', 'config'), 'utf8')).toContain(`  User ${userInfo().username}\n`);
  });
});

describe('installCommandLineTool', () => {
  it('links the launcher into the home of the environment it was given, and logs what it did once', async () => {
    const result = await calls([]).installCommandLineTool({ folder: 'user' });
    expect(await readlink(join(home, '.local', 'bin', 'porthole'))).toBe(launcher);
    expect(result.changed).toBe(true);
    await expect(calls([]).uninstallCommandLineTool()).resolves.toMatchObject({ removed: [join(home, '.local', 'bin', 'porthole')] });
    expect(logged).toEqual([result.message, `Removed ${join(home, '.local', 'bin', 'porthole')}.`]);
  });
});
