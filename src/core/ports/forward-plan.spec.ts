import { describe, expect, it } from 'vitest';
import { isPortholeError } from '../errors.js';
import { DEFAULT_PORT_PREFERENCES, parseAutoForward, parseForwardSpec, parsePort, plannedForwards } from './forward-plan.js';

const listening = [
  { port: 3000, host: '127.0.0.1' as const, process: 'python3' },
  { port: 5432, host: '127.0.0.1' as const, process: 'postgres' },
  { port: 6006, host: '::1' as const, process: 'storybook' },
  { port: 10_000, host: '127.0.0.1' as const, process: 'api' },
];

describe('which ports a workspace forwards', () => {
  it('forwards listening ports in 3000-9999 by themselves and leaves the others alone', () => {
    expect(plannedForwards(listening, [], DEFAULT_PORT_PREFERENCES)).toEqual([
      { port: 3000, host: '127.0.0.1', origin: 'auto', preferredLocalPort: 3000, process: 'python3' },
      { port: 5432, host: '127.0.0.1', origin: 'auto', preferredLocalPort: 5432, process: 'postgres' },
      { port: 6006, host: '::1', origin: 'auto', preferredLocalPort: 6006, process: 'storybook' },
    ]);
  });

  it('follows an edited range, and forwards nothing by itself when it is off', () => {
    expect(plannedForwards(listening, [], { ...DEFAULT_PORT_PREFERENCES, autoForward: { from: 5000, to: 20_000 } }).map((f) => f.port)).toEqual([5432, 6006, 10_000]);
    expect(plannedForwards(listening, [], { ...DEFAULT_PORT_PREFERENCES, autoForward: null })).toEqual([]);
  });

  it('forwards a manual port listening or not, to the local port asked for, and a declared one once it listens, whatever the range', () => {
    const planned = plannedForwards(listening, [8888, 10_000, 5432], { autoForward: null, manual: [{ port: 9229, localPort: 19229 }], stopped: [] });
    expect(planned).toEqual([
      { port: 5432, host: '127.0.0.1', origin: 'declared', preferredLocalPort: 5432, process: 'postgres' },
      { port: 9229, host: '127.0.0.1', origin: 'manual', preferredLocalPort: 19229 },
      { port: 10_000, host: '127.0.0.1', origin: 'declared', preferredLocalPort: 10_000, process: 'api' },
    ]);
    expect(plannedForwards(listening, [3000], DEFAULT_PORT_PREFERENCES)[0]).toMatchObject({ port: 3000, origin: 'declared' });
  });

  it("leaves a port the user stopped until it is asked for again; the user's manual forward beats auto and declared", () => {
    expect(plannedForwards(listening, [5432], { ...DEFAULT_PORT_PREFERENCES, stopped: [3000, 5432] }).map((f) => f.port)).toEqual([6006]);
    const manual = plannedForwards(listening, [3000], { ...DEFAULT_PORT_PREFERENCES, manual: [{ port: 3000, localPort: 8000 }], stopped: [3000] });
    expect(manual[0]).toEqual({ port: 3000, host: '127.0.0.1', origin: 'manual', preferredLocalPort: 8000, process: 'python3' });
  });
});

describe('ports as the user types them', () => {
  it('takes 1-65535 and refuses 0, 70000, abc and signs, saying what to give', () => {
    expect(parsePort('3000')).toBe(3000);
    for (const bad of ['0', '70000', 'abc', '-1', '30.5', '']) {
      let error: unknown;
      try {
        parsePort(bad);
      } catch (caught) {
        error = caught;
      }
      expect(isPortholeError(error, 'usage')).toBe(true);
      expect((error as Error).message).toBe(`"${bad}" is not a port number. Give a port from 1 to 65535, such as 3000.`);
    }
  });

  it('reads PORT and PORT:LOCAL, and auto-forward ranges', () => {
    expect(parseForwardSpec('3000')).toEqual({ port: 3000 });
    expect(parseForwardSpec('3000:8000')).toEqual({ port: 3000, localPort: 8000 });
    expect(() => parseForwardSpec('3000:0')).toThrow('"0" is not a local port number.');
    expect(() => parseForwardSpec('1:2:3')).toThrow('"1:2:3" is not a port to forward.');
    expect(parseAutoForward('3000-9999')).toEqual({ from: 3000, to: 9999 });
    expect(parseAutoForward('8080')).toEqual({ from: 8080, to: 8080 });
    expect(parseAutoForward('off')).toBeNull();
    expect(() => parseAutoForward('9999-3000')).toThrow('The range "9999-3000" ends before it begins.');
  });
});
