import type { Account } from './account.js';

/** First octets of blocks AWS hands Lightsail addresses from, so addresses look familiar in logs. */
const PUBLIC_FIRST_OCTETS = [3, 13, 18, 34, 35, 44, 52, 54];

function inUse(account: Account, region: string): Set<string> {
  const data = account.region(region);
  const used = new Set<string>();
  for (const i of Object.values(data.instances)) if (i.publicIpAddress) used.add(i.publicIpAddress);
  for (const s of Object.values(data.staticIps)) used.add(s.ipAddress);
  return used;
}

export function newPublicIp(account: Account, region: string): string {
  const used = inUse(account, region);
  for (;;) {
    const r = account.random;
    const first = PUBLIC_FIRST_OCTETS[r.int(0, PUBLIC_FIRST_OCTETS.length - 1)];
    const ip = `${first}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    if (!used.has(ip)) return ip;
  }
}

/** Lightsail instances sit in 172.26.0.0/16 inside their zone. */
export function newPrivateIp(account: Account): string {
  return `172.26.${account.random.int(0, 255)}.${account.random.int(1, 254)}`;
}

export function newIpv6(account: Account): string {
  const r = account.random;
  return `2600:1f18:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}:${r.hex(4)}`;
}
