import type { EngineDependencies } from './engine-ports.js';

/** How long the engine's waits for Lightsail last: the engine's own limit, else the gateway's default. */
export function waitOptions(deps: EngineDependencies): { timeoutMs?: number } {
  return deps.waitTimeoutMs === undefined ? {} : { timeoutMs: deps.waitTimeoutMs };
}
