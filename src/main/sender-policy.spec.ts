import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './sender-policy.js';

const rendererUrl = 'file:///opt/Porthole/resources/app/out/renderer/index.html';
const dashboard = { webContentsId: 3, rendererUrl };

describe('isTrustedSender', () => {
  it('trusts the top frame of the dashboard showing the app renderer', () => {
    expect(isTrustedSender({ url: rendererUrl, isMainFrame: true, webContentsId: 3 }, dashboard)).toBe(true);
    expect(isTrustedSender({ url: `${rendererUrl}#/settings`, isMainFrame: true, webContentsId: 3 }, dashboard)).toBe(true);
  });

  it('refuses another window (an editor window) even on the same file', () => {
    expect(isTrustedSender({ url: rendererUrl, isMainFrame: true, webContentsId: 4 }, dashboard)).toBe(false);
  });

  it('refuses an iframe inside the dashboard', () => {
    expect(isTrustedSender({ url: rendererUrl, isMainFrame: false, webContentsId: 3 }, dashboard)).toBe(false);
  });

  it('refuses the dashboard once it shows another page', () => {
    expect(isTrustedSender({ url: 'https://example.com/', isMainFrame: true, webContentsId: 3 }, dashboard)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil/index.html', isMainFrame: true, webContentsId: 3 }, dashboard)).toBe(false);
  });

  it('refuses a frame that is gone, and everything before the dashboard exists', () => {
    expect(isTrustedSender({ url: undefined, isMainFrame: true, webContentsId: 3 }, dashboard)).toBe(false);
    expect(isTrustedSender({ url: rendererUrl, isMainFrame: true, webContentsId: 3 }, { webContentsId: undefined, rendererUrl })).toBe(false);
  });
});
