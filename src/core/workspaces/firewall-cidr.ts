import { PortholeError } from '../errors.js';
import type { PortRule } from '../cloud/model.js';

/**
 * An address range for a workspace's SSH rule, as the user typed it: an
 * IPv4 CIDR (a bare address is its /32). The whole internet (any /0) is
 * refused unless the user says they know (`public`), since the rule then
 * lets anyone try to log in.
 */
export function parseSshCidr(text: string, options: { public?: boolean } = {}): string {
  const trimmed = text.trim();
  if (/^::\/0$|^0\.0\.0\.0\/0$|\/0$/.test(trimmed) && !options.public) {
    throw new PortholeError('usage', `${trimmed} opens SSH of the workspace to the whole internet.`, {
      fix: 'Allow your own address or network instead (such as 203.0.113.7/32); if you really mean everyone, add --i-know-this-is-public.',
    });
  }
  if (trimmed.includes(':')) {
    throw new PortholeError('usage', `"${trimmed}" is an IPv6 range; Lightsail's SSH rules here take IPv4 ranges.`, { fix: 'Give an IPv4 address or range, such as 203.0.113.7/32.' });
  }
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(trimmed);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const bits = match?.[5] === undefined ? 32 : Number(match[5]);
  if (!match || octets.some((o) => o > 255) || bits > 32) {
    throw new PortholeError('usage', `"${text}" is not an IPv4 address or range.`, { fix: 'Write it as ADDRESS/BITS, such as 203.0.113.7/32 or 198.51.100.0/24.' });
  }
  return `${octets.join('.')}/${bits}`;
}

export const SSH_PORT = 22;

/** Who put an address range in a workspace's SSH rule: Porthole for this computer, or the user (`--allow`, the console). */
export type SshSource = 'this-computer' | 'added';

/** The ranges that reach port 22, each with who put it there: the /32 of the IP the rule was last written for is this computer's. */
export function sshSources(rules: readonly PortRule[], callerIp: string | undefined): Array<{ cidr: string; source: SshSource }> {
  const cidrs = rules.filter((r) => (r.protocol === 'tcp' || r.protocol === 'all') && r.fromPort <= SSH_PORT && SSH_PORT <= r.toPort).flatMap((r) => r.cidrs);
  return [...new Set(cidrs)].map((cidr) => ({ cidr, source: callerIp !== undefined && cidr === `${callerIp}/32` ? 'this-computer' : 'added' }));
}
