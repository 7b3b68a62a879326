import { describe, expect, it } from 'vitest';
import { CODE_SERVER_VERSION, versionLine } from './code-server-install.js';

describe('versionLine', () => {
  const version = `${CODE_SERVER_VERSION} 409c64e0df4d53530e59c16acc2b5d5766f717b0 with Code 1.100.3`;

  it('finds the version after the notice a first run prints', () => {
    const firstRun = `[2026-12-04T05:27:18.977Z] info  Wrote default config file to /home/new/.config/code-server/config.yaml\n${version}\n`;
    expect(versionLine(firstRun)).toBe(version);
  });

  it('finds it alone, as every later run prints it', () => {
    expect(versionLine(`${version}\n`)).toBe(version);
  });

  it('answers nothing for another version or a version only mentioned in a path', () => {
    expect(versionLine('4.100.30 abc with Code 1.100.3\n')).toBeUndefined();
    expect(versionLine(`info  Wrote /opt/${CODE_SERVER_VERSION}/config.yaml\n`)).toBeUndefined();
  });
});
