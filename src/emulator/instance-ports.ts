import type { Account, Call } from './account.js';
import { type Input, objectList, requiredObject, requiredString } from './input.js';
import { invalidInput, wrongState } from './lightsail-error.js';
import { findInstance } from './instances.js';
import { operationView, recordInstanceChange } from './operations.js';
import { ANYWHERE_V4, ANYWHERE_V6, isIpv4Cidr } from './port-rules.js';
import type { InstanceData, PortRule } from './world.js';

const PROTOCOLS = new Set(['tcp', 'udp', 'all', 'icmp', 'icmpv6']);

function isIpv6Cidr(cidr: string): boolean {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr);
  return m !== null && (m[1] ?? '').includes(':') && Number(m[2]) <= 128;
}

function readRule(info: Input): PortRule {
  const protocol = info.protocol;
  if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) {
    throw invalidInput(`The protocol '${String(protocol)}' is not valid. Use one of: ${[...PROTOCOLS].join(', ')}.`);
  }
  const whole = protocol === 'all';
  const fromPort = whole ? 0 : info.fromPort;
  const toPort = whole ? 65535 : info.toPort;
  const low = protocol.startsWith('icmp') ? -1 : 0;
  for (const [member, value] of [['fromPort', fromPort], ['toPort', toPort]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > 65535) {
      throw invalidInput(`${member} must be a whole number from ${low} to 65535, not ${String(value)}.`);
    }
  }
  if ((fromPort as number) > (toPort as number)) throw invalidInput(`fromPort ${String(fromPort)} is greater than toPort ${String(toPort)}.`);
  const cidrs = objectListOrStrings(info, 'cidrs');
  const ipv6Cidrs = objectListOrStrings(info, 'ipv6Cidrs');
  const cidrListAliases = objectListOrStrings(info, 'cidrListAliases');
  for (const c of cidrs) if (!isIpv4Cidr(c)) throw invalidInput(`'${c}' is not a valid IPv4 CIDR block, such as 203.0.113.7/32.`);
  for (const c of ipv6Cidrs) if (!isIpv6Cidr(c)) throw invalidInput(`'${c}' is not a valid IPv6 CIDR block, such as 2001:db8::/64.`);
  for (const a of cidrListAliases) if (a !== 'lightsail-connect') throw invalidInput(`The CIDR list alias '${a}' is not valid; the only one is lightsail-connect.`);
  const unrestricted = cidrs.length === 0 && ipv6Cidrs.length === 0 && cidrListAliases.length === 0;
  return {
    fromPort: fromPort as number,
    toPort: toPort as number,
    protocol,
    // Naming no source at all means everyone, as the console's default rule does.
    cidrs: unrestricted ? [ANYWHERE_V4] : cidrs,
    ipv6Cidrs: unrestricted ? [ANYWHERE_V6] : ipv6Cidrs,
    cidrListAliases,
  };
}

function objectListOrStrings(info: Input, member: string): string[] {
  const value = info[member];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidInput(`portInfo.${member} must be a list of strings.`);
  return value as string[];
}

const sameRange = (a: PortRule, b: PortRule): boolean => a.fromPort === b.fromPort && a.toPort === b.toPort && a.protocol === b.protocol;
const union = (a: string[], b: string[]): string[] => [...new Set([...a, ...b])];

function firewallTarget(account: Account, call: Call, input: Input): InstanceData {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  if (instance.state === 'shutting-down' || instance.state === 'terminated') {
    throw wrongState(`The instance '${instance.name}' is in the ${instance.state} state; its firewall can no longer change.`);
  }
  return instance;
}

function portsChanged(account: Account, call: Call, instance: InstanceData, operationType: string, details: string): unknown {
  account.changed();
  return { operation: operationView(recordInstanceChange(account, call, instance, operationType, details), call.region) };
}

const describe = (rule: PortRule): string => `${rule.protocol}/${rule.fromPort}${rule.toPort !== rule.fromPort ? `-${rule.toPort}` : ''}`;

export function putInstancePublicPorts(account: Account, call: Call, input: Input): unknown {
  const instance = firewallTarget(account, call, input);
  const rules = objectList(input, 'portInfos', true).map(readRule);
  const merged: PortRule[] = [];
  for (const rule of rules) {
    const same = merged.find((r) => sameRange(r, rule));
    if (same) {
      same.cidrs = union(same.cidrs, rule.cidrs);
      same.ipv6Cidrs = union(same.ipv6Cidrs, rule.ipv6Cidrs);
      same.cidrListAliases = union(same.cidrListAliases, rule.cidrListAliases);
    } else merged.push(rule);
  }
  instance.ports = merged;
  return portsChanged(account, call, instance, 'PutInstancePublicPorts', merged.map(describe).join(', '));
}

export function openInstancePublicPorts(account: Account, call: Call, input: Input): unknown {
  const instance = firewallTarget(account, call, input);
  const rule = readRule(requiredObject(input, 'portInfo'));
  const same = instance.ports.find((r) => sameRange(r, rule));
  if (same) {
    same.cidrs = union(same.cidrs, rule.cidrs);
    same.ipv6Cidrs = union(same.ipv6Cidrs, rule.ipv6Cidrs);
    same.cidrListAliases = union(same.cidrListAliases, rule.cidrListAliases);
  } else instance.ports.push(rule);
  return portsChanged(account, call, instance, 'OpenInstancePublicPorts', describe(rule));
}

export function closeInstancePublicPorts(account: Account, call: Call, input: Input): unknown {
  const instance = firewallTarget(account, call, input);
  const info = requiredObject(input, 'portInfo');
  const rule = readRule(info);
  const namedSources = ['cidrs', 'ipv6Cidrs', 'cidrListAliases'].some((m) => Array.isArray(info[m]) && (info[m] as unknown[]).length > 0);
  instance.ports = instance.ports.flatMap((r) => {
    if (!sameRange(r, rule)) return [r];
    if (!namedSources) return [];
    // Closing for some sources leaves the port open to the others.
    const left = {
      ...r,
      cidrs: r.cidrs.filter((c) => !rule.cidrs.includes(c)),
      ipv6Cidrs: r.ipv6Cidrs.filter((c) => !rule.ipv6Cidrs.includes(c)),
      cidrListAliases: r.cidrListAliases.filter((c) => !rule.cidrListAliases.includes(c)),
    };
    return left.cidrs.length + left.ipv6Cidrs.length + left.cidrListAliases.length > 0 ? [left] : [];
  });
  return portsChanged(account, call, instance, 'CloseInstancePublicPorts', describe(rule));
}

export function getInstancePortStates(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  return {
    portStates: instance.ports.map((r) => ({
      fromPort: r.fromPort,
      toPort: r.toPort,
      protocol: r.protocol,
      state: 'open',
      cidrs: r.cidrs,
      ipv6Cidrs: r.ipv6Cidrs,
      cidrListAliases: r.cidrListAliases,
    })),
  };
}
