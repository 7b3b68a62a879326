import { describe, expect, it } from 'vitest';
import { tunnelOverlayPage } from './tunnel-overlay.js';

const html = (url: string) => decodeURIComponent(url.slice(url.indexOf(',') + 1));

describe('tunnelOverlayPage', () => {
  it('is a data: page saying what happened', () => {
    const url = tunnelOverlayPage('The tunnel to demo dropped; reconnecting (attempt 2)…');
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(html(url)).toContain('role="alert">The tunnel to demo dropped; reconnecting (attempt 2)…</body>');
  });

  it('shows a message with markup in it as text, and allows no script', () => {
    const page = html(tunnelOverlayPage('ssh: <script>alert(1)</script> & "x"'));
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;');
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
