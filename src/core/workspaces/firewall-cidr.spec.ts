import { describe, expect, it } from 'vitest';
import { parseSshCidr, sshSources } from './firewall-cidr.js';

describe('address ranges for a workspace SSH rule', () => {
  it('takes IPv4 ranges, a bare address as its /32', () => {
    expect(parseSshCidr('203.0.113.7')).toBe('203.0.113.7/32');
    expect(parseSshCidr(' 198.51.100.0/24 ')).toBe('198.51.100.0/24');
  });

  it('refuses the whole internet unless the user says they know, and says how', () => {
    for (const everyone of ['0.0.0.0/0', '::/0', '10.0.0.0/0']) {
      expect(() => parseSshCidr(everyone)).toThrow(`${everyone} opens SSH of the workspace to the whole internet. Allow your own address or network instead`);
    }
    expect(parseSshCidr('0.0.0.0/0', { public: true })).toBe('0.0.0.0/0');
  });

  it('refuses what is not an IPv4 range', () => {
    expect(() => parseSshCidr('300.1.1.1/32')).toThrow('"300.1.1.1/32" is not an IPv4 address or range.');
    expect(() => parseSshCidr('1.2.3.4/33')).toThrow('is not an IPv4 address or range');
    expect(() => parseSshCidr('abc')).toThrow('is not an IPv4 address or range');
    expect(() => parseSshCidr('2001:db8::/32')).toThrow("IPv6 range; Lightsail's SSH rules here take IPv4 ranges");
  });

  it("tells this computer's /32 from the ranges the user added, on port 22 only", () => {
    const rules = [
      { fromPort: 22, toPort: 22, protocol: 'tcp' as const, cidrs: ['203.0.113.9/32', '198.51.100.0/24'] },
      { fromPort: 0, toPort: 65535, protocol: 'all' as const, cidrs: ['198.51.100.0/24', '192.0.2.7/32'] },
      { fromPort: 80, toPort: 80, protocol: 'tcp' as const, cidrs: ['0.0.0.0/0'] },
    ];
    expect(sshSources(rules, '203.0.113.9')).toEqual([
      { cidr: '203.0.113.9/32', source: 'this-computer' },
      { cidr: '198.51.100.0/24', source: 'added' },
      { cidr: '192.0.2.7/32', source: 'added' },
    ]);
    expect(sshSources(rules, undefined).every((s) => s.source === 'added')).toBe(true);
  });
});
