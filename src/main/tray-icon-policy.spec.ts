import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trayIconFile, type TrayPicture } from './tray-icon-policy.js';

const TRAY_ASSETS = fileURLToPath(new URL('../../assets/tray/', import.meta.url));
const PICTURES: TrayPicture[] = ['idle', 'running', 'changing', 'failed'];

describe('trayIconFile', () => {
  it('uses template images on macOS, which the menu bar recolours', () => {
    expect(trayIconFile('running', 'darwin', true)).toBe('runningTemplate.png');
    expect(trayIconFile('running', 'darwin', false)).toBe('runningTemplate.png');
  });

  it('uses light ink on dark panels and dark ink on light ones elsewhere', () => {
    expect(trayIconFile('failed', 'linux', true)).toBe('failed-dark.png');
    expect(trayIconFile('failed', 'win32', false)).toBe('failed-light.png');
  });

  it('names a file that exists in assets/tray, with its @2x sibling, for every state and platform', () => {
    for (const picture of PICTURES) {
      for (const [platform, dark] of [['darwin', false], ['linux', true], ['linux', false], ['win32', true]] as const) {
        const file = trayIconFile(picture, platform, dark);
        expect(existsSync(`${TRAY_ASSETS}${file}`), file).toBe(true);
        expect(existsSync(`${TRAY_ASSETS}${file.replace('.png', '@2x.png')}`), file).toBe(true);
      }
    }
  });
});
