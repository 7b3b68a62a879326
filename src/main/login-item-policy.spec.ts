import { describe, expect, it } from 'vitest';
import { autostartEntry } from './login-item-policy.js';

describe('autostartEntry', () => {
  it('starts the packaged app by its path', () => {
    const entry = autostartEntry(['/opt/Porthole/porthole']);
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Porthole\n');
    expect(entry).toContain('\nExec=/opt/Porthole/porthole\n');
  });

  it('quotes a path with spaces and escapes what the Exec key treats specially', () => {
    expect(autostartEntry(['/home/a b/electron', '/home/a b/app/out/main/index.js'])).toContain('\nExec="/home/a b/electron" "/home/a b/app/out/main/index.js"\n');
    expect(autostartEntry(['/x/$HOME"`\\50%'])).toContain('\nExec="/x/\\$HOME\\"\\`\\\\50%%"\n');
  });
});
