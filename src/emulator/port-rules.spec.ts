import { describe, expect, it } from 'vitest';
import { admits, defaultPorts } from './port-rules.js';
import type { PortRule } from './world.js';

const rule = (fromPort: number, toPort: number, cidrs: string[], protocol = 'tcp', ipv6Cidrs: string[] = []): PortRule => ({ fromPort, toPort, protocol, cidrs, ipv6Cidrs, cidrListAliases: [] });

describe("an instance firewall's answer to a connection", () => {
  it('lets in an address inside one of the port rule ranges, and no other', () => {
    const rules = [rule(22, 22, ['203.0.113.9/32', '198.51.100.0/24'])];
    expect(admits(rules, 22, '203.0.113.9')).toBe(true);
    expect(admits(rules, 22, '198.51.100.200')).toBe(true);
    expect(admits(rules, 22, '203.0.113.10')).toBe(false);
    expect(admits(rules, 22, '198.51.101.1')).toBe(false);
    expect(admits(rules, 80, '203.0.113.9')).toBe(false);
  });

  it('counts port ranges, protocol all, and the whole internet; not udp', () => {
    expect(admits([rule(20, 30, ['10.0.0.0/8'])], 22, '10.1.2.3')).toBe(true);
    expect(admits([rule(0, 65535, ['192.0.2.0/28'], 'all')], 22, '192.0.2.15')).toBe(true);
    expect(admits([rule(0, 65535, ['192.0.2.0/28'], 'all')], 22, '192.0.2.16')).toBe(false);
    expect(admits([rule(22, 22, ['0.0.0.0/0'], 'udp')], 22, '127.0.0.1')).toBe(false);
    expect(admits(defaultPorts(), 22, '127.0.0.1')).toBe(true);
  });

  it('lets an IPv6 caller in only where the port is open to all of IPv6', () => {
    expect(admits(defaultPorts(), 22, '::1')).toBe(true);
    expect(admits([rule(22, 22, ['0.0.0.0/0'])], 22, '::1')).toBe(false);
    expect(admits([], 22, '127.0.0.1')).toBe(false);
  });
});
