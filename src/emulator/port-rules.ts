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
