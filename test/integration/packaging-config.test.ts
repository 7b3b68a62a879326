import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfigFromFile } from 'electron-vite';
import { beforeAll, describe, expect, it } from 'vitest';

// Checks electron-builder.yml with electron-builder's own loader and JSON
// schema (the same calls `electron-builder` makes before packaging), then the
// promises the file makes: targets, deep-link protocol, native addon handling,
// and icon files that exist and have the sizes each platform needs.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fromRoot = (path: string): string => join(repoRoot, path);

interface TargetEntry {
  target: string;
  arch?: string[];
}
interface PlatformConfig {
  target: (string | TargetEntry)[];
  icon: string;
  category?: string;
  maintainer?: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: (string | { filter: string[] })[];
  extraResources: { from: string; to: string }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  protocols: { name: string; schemes: string[] }[];
  mac: PlatformConfig;
  win: PlatformConfig;
  linux: PlatformConfig;
}
interface DebugLogger {
  isEnabled: boolean;
  add(key: string, value: unknown): void;
}
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: DebugLogger): Promise<void>;
}

// app-builder-lib is electron-builder's engine; resolving it from
// electron-builder's own location picks the copy that would package the app.
const requireFromRoot = createRequire(fromRoot('package.json'));
const requireFromBuilder = createRequire(requireFromRoot.resolve('electron-builder'));
const builderConfig = requireFromBuilder('app-builder-lib/out/util/config/config.js') as ConfigModule;
const quietLogger: DebugLogger = { isEnabled: false, add: () => undefined };

let config: BuilderConfig;

beforeAll(async () => {
  config = await builderConfig.getConfig(repoRoot, null, null);
});

function targets(platform: PlatformConfig): TargetEntry[] {
  return platform.target.map((entry) => (typeof entry === 'string' ? { target: entry } : entry));
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(builderConfig.validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
  });

  it('is rejected by that validation when it holds an option electron-builder does not know', async () => {
    const broken = { ...config, mac: { ...config.mac, dmgTitle: 'not an option' } };
    await expect(builderConfig.validateConfiguration(broken, quietLogger)).rejects.toThrow(/configuration\.mac/);
  });

  it('names the app and packages the electron-vite output into dist/', () => {
    expect(config.appId).toBe('dev.porthole.app');
    expect(config.productName).toBe('Porthole');
    expect(config.directories.output).toBe('dist');
    const patterns = config.files.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter));
    expect(patterns).toEqual(['out/**']);
  });

  it('rebuilds native addons for Electron and keeps them outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(existsSync(fromRoot('node_modules/keytar/binding.gyp'))).toBe(true);
  });

  it('registers the porthole:// deep-link scheme', () => {
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual(['porthole']);
  });

  it('builds an AppImage and a deb for Linux, in the Development category, with a maintainer', () => {
    expect(targets(config.linux).map((entry) => entry.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    expect(config.linux.maintainer).toMatch(/^[^<>]+ <[^@\s]+@[^>\s]+>$/);
  });

  it('builds a universal dmg for macOS and an NSIS installer for Windows', () => {
    expect(targets(config.mac)).toEqual([{ target: 'dmg', arch: ['universal'] }]);
    expect(targets(config.win).map((entry) => entry.target)).toEqual(['nsis']);
  });

  it('points every platform at an icon file that exists', () => {
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(existsSync(fromRoot(platform.icon)), platform.icon).toBe(true);
    }
    expect(config.directories.buildResources).toBe('assets');
  });

  it('ships the tray images as resources', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'assets/tray', to: 'tray' }));
  });
});

describe('icons', () => {
  it('has a 512x512 app icon for Linux and for electron-builder to derive from', () => {
    expect(pngSize(readFileSync(fromRoot(config.linux.icon)))).toEqual({ width: 512, height: 512 });
  });

  it('has a Windows .ico whose entries are PNGs up to 256x256', () => {
    const ico = readFileSync(fromRoot(config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i += 1) {
      const entry = 6 + 16 * i;
      const declared = ico.readUInt8(entry) || 256;
      const offset = ico.readUInt32LE(entry + 12);
      const png = ico.subarray(offset, offset + ico.readUInt32LE(entry + 8));
      expect(pngSize(png)).toEqual({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('has a macOS .icns holding the 512 and 1024 images', () => {
    const icns = readFileSync(fromRoot(config.mac.icon));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries = new Map<string, number>();
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      entries.set(icns.toString('ascii', at, at + 4), pngSize(icns.subarray(at + 8)).width);
    }
    expect(entries.get('ic09')).toBe(512);
    expect(entries.get('ic10')).toBe(1024);
    expect(entries.get('ic07')).toBe(128);
  });

  const states = ['idle', 'running', 'changing', 'failed'];
  const variants = ['-light', '-dark', 'Template'];
  const trayFiles = states.flatMap((state) =>
    variants.flatMap((variant) => [
      { file: `assets/tray/${state}${variant}.png`, size: 16 },
      { file: `assets/tray/${state}${variant}@2x.png`, size: 32 },
    ]),
  );

  it.each(trayFiles)('has tray image $file at $size px', ({ file, size }) => {
    expect(pngSize(readFileSync(fromRoot(file)))).toEqual({ width: size, height: size });
  });

  // Redrawing every icon, the 1024 px one included, takes seconds of CPU.
  it('matches what scripts/make-icons.mjs draws', { timeout: 90_000 }, async () => {
    const run = promisify(execFile);
    await expect(
      run(process.execPath, [fromRoot('scripts/make-icons.mjs'), '--check'], { cwd: repoRoot }),
    ).resolves.toBeDefined();
  });
});

describe('electron.vite.config.ts', () => {
  it('builds main, a CommonJS preload and the React renderer into out/', async () => {
    const { config: vite } = await loadConfigFromFile(
      { command: 'build', mode: 'production' },
      'electron.vite.config.ts',
      repoRoot,
    );
    expect(vite.main?.build?.outDir).toBe(fromRoot('out/main'));
    expect(vite.main?.build?.rolldownOptions?.input).toEqual({ index: fromRoot('src/main/index.ts') });
    expect(vite.preload?.build?.outDir).toBe(fromRoot('out/preload'));
    expect(vite.preload?.build?.rolldownOptions?.input).toEqual({ index: fromRoot('src/preload/index.ts') });
    expect(vite.preload?.build?.rolldownOptions?.output).toMatchObject({ format: 'cjs' });
    expect(vite.renderer?.build?.outDir).toBe(fromRoot('out/renderer'));
    expect(vite.renderer?.build?.rolldownOptions?.input).toEqual({ index: fromRoot('src/renderer/index.html') });
    const pluginNames = (vite.renderer?.plugins ?? []).flat().map((plugin) =>
      plugin && typeof plugin === 'object' && 'name' in plugin ? plugin.name : undefined,
    );
    expect(pluginNames).toContain('vite:react-babel');
  });
});
