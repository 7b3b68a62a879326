import type { BillingReport } from './billing.js';
import type { CallerAddress } from './caller-address.js';
import type { CallCountReport } from './call-counts.js';
import type { FaultSettings } from './faults.js';
import { isIpv4Cidr } from './port-rules.js';
import type { ControlHandler } from './server.js';

/** What the control endpoint can read and change; the running emulator provides it. */
export interface ControlTarget {
  health(): Record<string, unknown>;
  billing(): BillingReport;
  faults: { readonly settings: FaultSettings; set(changes: Partial<FaultSettings>): FaultSettings; clear(): void };
  advance(ms: number): void;
  summary(): Record<string, unknown>;
  calls(): CallCountReport;
  sshCaPublicKey(): Promise<string>;
  /** An instance's loopback addresses, or why it has none; `ssh` answers once its sshd listens, before code-server is up. */
  instanceEndpoints(region: string, name: string, until?: 'ssh'): Promise<{ endpoints: unknown } | { error: string; starting?: true }>;
  /** Has the instance's idle agent write its warning marker, the stop `minutes` away. */
  idleWarning(region: string, name: string, minutes: number): Promise<{ stopsAt: string } | { error: string }>;
  /** The caller's public address, as the IP echo answers it and instance firewalls judge it. */
  caller: CallerAddress;
}

const ENDPOINTS_ROUTE = /^GET \/_emulator\/instances\/([^/]+)\/([^/]+)\/endpoints$/;
const IDLE_WARNING_ROUTE = /^POST \/_emulator\/instances\/([^/]+)\/([^/]+)\/idle-warning$/;

export function controlHandler(target: ControlTarget): ControlHandler {
  return async (request, body) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const route = `${request.method ?? 'GET'} ${path}`;
    try {
      const endpoints = ENDPOINTS_ROUTE.exec(route);
      if (endpoints) {
        const until = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('until') === 'ssh' ? 'ssh' : undefined;
        const answer = await target.instanceEndpoints(decodeURIComponent(endpoints[1]!), decodeURIComponent(endpoints[2]!), until);
        // 503 while its processes are still starting, as a booting instance's port 22 does not answer yet: asking again will do.
        return 'endpoints' in answer ? { status: 200, body: answer.endpoints } : { status: answer.starting ? 503 : 404, body: { error: answer.error } };
      }
      const idleWarning = IDLE_WARNING_ROUTE.exec(route);
      if (idleWarning) {
        const { minutes } = readJson(body) as { minutes?: unknown };
        if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
          return { status: 400, body: { error: 'Send {"minutes": n}: the whole minutes until the idle stop, 1 to 1440.' } };
        }
        const answer = await target.idleWarning(decodeURIComponent(idleWarning[1]!), decodeURIComponent(idleWarning[2]!), minutes);
        return 'stopsAt' in answer ? { status: 200, body: answer } : { status: 409, body: answer };
      }
      switch (route) {
        case 'GET /_emulator/health':
          return { status: 200, body: target.health() };
        case 'GET /_emulator/billing':
          return { status: 200, body: target.billing() };
        case 'GET /_emulator/faults':
          return { status: 200, body: target.faults.settings };
        case 'POST /_emulator/faults': {
          const changes = readJson(body) as Partial<FaultSettings> & { clear?: boolean };
          if (changes.clear === true) target.faults.clear();
          const { clear: _ignored, ...rest } = changes;
          return { status: 200, body: target.faults.set(rest) };
        }
        case 'DELETE /_emulator/faults':
          target.faults.clear();
          return { status: 200, body: target.faults.settings };
        case 'POST /_emulator/clock/advance': {
          const { seconds } = readJson(body) as { seconds?: unknown };
          if (typeof seconds !== 'number' || !(seconds >= 0)) return { status: 400, body: { error: 'Send {"seconds": n} with n >= 0.' } };
          target.advance(seconds * 1000);
          return { status: 200, body: target.health() };
        }
        case 'GET /_emulator/ip':
          if (target.caller.echoDown) return { status: 503, body: { error: 'The IP echo is down, as set with POST /_emulator/ip {"echoDown": true}; DELETE /_emulator/ip brings it back.' } };
          return { status: 200, body: `${target.caller.of(request.socket.remoteAddress ?? '')}\n`, contentType: 'text/plain; charset=utf-8' };
        case 'POST /_emulator/ip': {
          const { ip, echoDown } = readJson(body) as { ip?: unknown; echoDown?: unknown };
          if (ip !== undefined && ip !== null && (typeof ip !== 'string' || !isIpv4Cidr(`${ip}/32`))) {
            return { status: 400, body: { error: 'Send {"ip": "203.0.113.9"} (an IPv4 address, or null for the real one) and/or {"echoDown": true|false}.' } };
          }
          if (echoDown !== undefined && typeof echoDown !== 'boolean') return { status: 400, body: { error: '"echoDown" is true or false.' } };
          target.caller.set({ ...(ip !== undefined ? { ip } : {}), ...(echoDown !== undefined ? { echoDown } : {}) });
          return { status: 200, body: callerView(target.caller, request.socket.remoteAddress ?? '') };
        }
        case 'DELETE /_emulator/ip':
          target.caller.reset();
          return { status: 200, body: callerView(target.caller, request.socket.remoteAddress ?? '') };
        case 'GET /_emulator/calls':
          return { status: 200, body: target.calls() };
        case 'GET /_emulator/state':
          return { status: 200, body: target.summary() };
        case 'GET /_emulator/ssh-ca':
          return { status: 200, body: `${await target.sshCaPublicKey()}\n`, contentType: 'text/plain; charset=utf-8' };
        default:
          return { status: 404, body: { error: `No control route ${route}. Routes live under /_emulator/: health, billing, calls, faults, clock/advance, ip, state, ssh-ca, instances/<region>/<name>/endpoints, instances/<region>/<name>/idle-warning.` } };
      }
    } catch (error) {
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  };
}

function callerView(caller: CallerAddress, socketAddress: string): Record<string, unknown> {
  return { ip: caller.of(socketAddress), overridden: caller.overridden, echoDown: caller.echoDown };
}

function readJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
