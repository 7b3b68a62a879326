import { describe, expect, it } from 'vitest';
import { isDashboardNavigationAllowed, isExternalOpenAllowed, isFrameNavigationAllowed, isNavigationAllowed } from './navigation-policy.js';

const origin = 'http://127.0.0.1:41234';

describe('isNavigationAllowed (the editor window)', () => {
  it('allows pages of the workspace session origin', () => {
    expect(isNavigationAllowed(`${origin}/`, origin)).toBe(true);
    expect(isNavigationAllowed(`${origin}/login?to=%2F`, origin)).toBe(true);
    expect(isNavigationAllowed('https://203.0.113.7:8443/?folder=/home', 'https://203.0.113.7:8443')).toBe(true);
  });

  it.each([
    ['another port on loopback', 'http://127.0.0.1:41235/'],
    ['localhost for 127.0.0.1', 'http://localhost:41234/'],
    ['https for http', 'https://127.0.0.1:41234/'],
    ['a web site', 'https://example.com/'],
    ['a file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['a data page', 'data:text/html,<h1>x</h1>'],
    ['nonsense', 'not a url'],
  ])('refuses %s', (_what, target) => {
    expect(isNavigationAllowed(target, origin)).toBe(false);
  });
});

describe('isExternalOpenAllowed', () => {
  it('hands web addresses to the system browser', () => {
    expect(isExternalOpenAllowed('https://github.com/coder/code-server')).toBe(true);
    expect(isExternalOpenAllowed('http://example.com/')).toBe(true);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'vscode://ms-python.python', 'smb://host/share', 'https://user:pw@example.com/', ''])('refuses %s', (target) => {
    expect(isExternalOpenAllowed(target)).toBe(false);
  });
});

describe('isDashboardNavigationAllowed', () => {
  const dashboard = 'file:///opt/Porthole/resources/app/out/renderer/index.html';

  it('allows only the dashboard page itself', () => {
    expect(isDashboardNavigationAllowed(dashboard, dashboard)).toBe(true);
    expect(isDashboardNavigationAllowed(`${dashboard}#settings`, dashboard)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isDashboardNavigationAllowed('file:///etc/passwd', dashboard)).toBe(false);
    expect(isDashboardNavigationAllowed('https://example.com/', dashboard)).toBe(false);
  });
});

describe('isFrameNavigationAllowed (frames inside the editor)', () => {
  it("allows VS Code's own frames", () => {
    expect(isFrameNavigationAllowed(`${origin}/stable-abc/static/out/vs/workbench/contrib/webview/browser/pre/index.html`, origin)).toBe(true);
    expect(isFrameNavigationAllowed('about:blank', origin)).toBe(true);
    expect(isFrameNavigationAllowed(`blob:${origin}/6f0c2c43-1f1e-4d5c-9b4e-8a9e0e0f3e11`, origin)).toBe(true);
  });

  it('refuses frames of other origins', () => {
    expect(isFrameNavigationAllowed('https://example.com/', origin)).toBe(false);
    expect(isFrameNavigationAllowed('blob:https://example.com/6f0c2c43', origin)).toBe(false);
    expect(isFrameNavigationAllowed('data:text/html,x', origin)).toBe(false);
  });
});
