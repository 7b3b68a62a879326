/** A firewall rule as Lightsail states it: the defaults a new instance gets, and how a rule reads back. */
import type { PortRule } from './world.js';

export const ANYWHERE_V4 = '0.0.0.0/0';
export const ANYWHERE_V6 = '::/0';

/** A new Lightsail Linux instance opens SSH and HTTP to everyone. */
export function defaultPorts(): PortRule[] {
  return [22, 80].map((port) => ({
    fromPort: port,
    toPort: port,
    protocol: 'tcp',
    cidrs: [ANYWHERE_V4],
    ipv6Cidrs: [ANYWHERE_V6],
    cidrListAliases: [],
  }));
}

export function portView(rule: PortRule): Record<string, unknown> {
  const anywhere = rule.cidrs.includes(ANYWHERE_V4) && rule.ipv6Cidrs.includes(ANYWHERE_V6);
  return {
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    protocol: rule.protocol,
    accessFrom: anywhere ? 'Anywhere (0.0.0.0/0 and ::/0)' : [...rule.cidrs, ...rule.ipv6Cidrs, ...rule.cidrListAliases].join(', ') || 'Custom',
    accessType: 'public',
    commonName: '',
    accessDirection: 'inbound',
    cidrs: rule.cidrs,
    ipv6Cidrs: rule.ipv6Cidrs,
    cidrListAliases: rule.cidrListAliases,
  };
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function isIpv4Cidr(cidr: string): boolean {
  const m = IPV4_CIDR.exec(cidr);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

function ipv4Number(address: string): number | undefined {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

function inIpv4Cidr(address: number, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const start = ipv4Number(base);
  const size = 2 ** (32 - Number(bits));
  return start !== undefined && Math.floor(address / size) === Math.floor(start / size);
}

/**
 * Whether the rules let a TCP connection from `address` reach `port`, as
 * the instance's firewall decides it. An IPv6 caller gets in only where a
 * rule opens the port to all of IPv6: the sandbox's own callers are IPv4.
 */
export function admits(rules: readonly PortRule[], port: number, address: string): boolean {
  const v4 = ipv4Number(address);
  return rules.some(
    (rule) =>
      (rule.protocol === 'tcp' || rule.protocol === 'all') &&
      rule.fromPort <= port &&
      port <= rule.toPort &&
      (v4 === undefined ? rule.ipv6Cidrs.includes(ANYWHERE_V6) : rule.cidrs.some((cidr) => inIpv4Cidr(v4, cidr))),
  );
}
