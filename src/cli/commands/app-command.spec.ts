import { describe, expect, it } from 'vitest';
import { whyNotElectron } from './app-command.js';

describe('porthole app: when the desktop app cannot start', () => {
  const ready = { electron: '/opt/electron/electron', env: { DISPLAY: ':0' }, platform: 'linux' as const, built: true };

  it('starts it where the binary, a display and the build are all there', () => {
    expect(whyNotElectron(ready)).toBeUndefined();
    expect(whyNotElectron({ ...ready, env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeUndefined();
    // macOS and Windows always have a display.
    expect(whyNotElectron({ ...ready, env: {}, platform: 'darwin' })).toBeUndefined();
  });

  it('says which one is missing, and how to get it where it can be got', () => {
    expect(whyNotElectron({ ...ready, electron: undefined })).toBe('the Electron binary is not installed (run "npx install-electron" to get it)');
    expect(whyNotElectron({ ...ready, env: {} })).toBe('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(whyNotElectron({ ...ready, built: false })).toBe('the app is not built (run "npm run build")');
  });
});
