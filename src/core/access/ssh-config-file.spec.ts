import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/workspace.js';
import { blueprintUser, configuredHosts, sshConfigText, sshHostName, withInclude } from './ssh-config-file.js';
import { workspaceView } from '../../../test/support/workspace-view.js';

const workspace = (name: string, region = 'us-east-1', blueprintId = 'ubuntu_22_04'): Workspace => workspaceView({ name, region, blueprintId, publicIp: '203.0.113.7' });

describe('ssh config for workspaces', () => {
  it('adds the Include line at the top once, keeping what the user wrote', () => {
    const mine = 'Host work\n  HostName example.org\n';
    const once = withInclude(mine, '/home/me/.ssh/porthole/config');
    expect(once).toBe('Include "/home/me/.ssh/porthole/config"\n\nHost work\n  HostName example.org\n');
    expect(withInclude(once, '/home/me/.ssh/porthole/config')).toBe(once);
    expect(withInclude('', '/x/config')).toBe('Include "/x/config"\n');
  });

  it('writes one entry per workspace that fetches a fresh certificate before ssh loads its identity, and pins host keys', () => {
    const text = sshConfigText([workspace('alpha'), workspace('beta', 'eu-west-1', 'debian_12')], { porthole: '/usr/bin/node /opt/porthole.js', dir: '/h/.ssh/porthole' });
    expect(text).toContain('Host porthole-alpha\n');
    expect(text).toContain('  User admin\n');
    expect(text).toContain('  ProxyCommand /usr/bin/node /opt/porthole.js ssh-proxy beta --region eu-west-1\n');
    expect(text).toContain('Match originalhost porthole-alpha exec "/usr/bin/node /opt/porthole.js ssh-proxy alpha --region us-east-1 --prepare"');
    expect(text).toContain('  CertificateFile "/h/.ssh/porthole/us-east-1-alpha/key-cert.pub"\n');
    expect(text.match(/StrictHostKeyChecking yes/g)).toHaveLength(2);
    expect(text).not.toMatch(/StrictHostKeyChecking (no|accept-new)/);
  });

  it('tells apart one name used in two regions', () => {
    const text = sshConfigText([workspace('same'), workspace('same', 'eu-west-1')], { porthole: 'porthole', dir: '/d' });
    expect(text).toContain('Host porthole-same.us-east-1\n');
    expect(text).toContain('Host porthole-same.eu-west-1\n');
  });

  it('finds the hosts a written config defines, so the app can tell when VS Code has no entry for a workspace', () => {
    const all = [workspace('alpha'), workspace('same'), workspace('same', 'eu-west-1')];
    const hosts = configuredHosts(sshConfigText(all, { porthole: 'porthole', dir: '/d' }));
    expect([...hosts].sort()).toEqual(['porthole-alpha', 'porthole-same.eu-west-1', 'porthole-same.us-east-1']);
    for (const w of all) expect(hosts.has(sshHostName(w, all))).toBe(true);
    expect(hosts.has(sshHostName(workspace('newer'), [...all, workspace('newer')]))).toBe(false);
    expect(configuredHosts('')).toEqual(new Set());
  });

  it('knows the login name of each Lightsail blueprint', () => {
    expect(['ubuntu_24_04', 'debian_12', 'amazon_linux_2023', 'centos_stream_9'].map(blueprintUser)).toEqual(['ubuntu', 'admin', 'ec2-user', 'centos']);
  });
});
