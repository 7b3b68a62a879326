import { describe, expect, it } from 'vitest';
import { portViews } from '../core/ports/workspace-ports.js';
import { linkTarget } from './forwarded-link-policy.js';

// The workspace's 3000 went to local 3001 (3000 was taken here); 5173 listens but is not forwarded.
const demo = portViews(
  { ports: [{ port: 3000, host: '127.0.0.1', process: 'node' }, { port: 5173, host: '::1', process: 'vite' }, { port: 8080, host: '127.0.0.1' }] },
  [{ port: 3000, localPort: 3001, origin: 'auto' }, { port: 8080, localPort: 8080, origin: 'manual' }],
);

describe('linkTarget (links the editor opens in the system browser)', () => {
  it('opens a forwarded port at its moved local port, keeping path, query and hash', () => {
    expect(linkTarget('http://localhost:3000/api/items?page=2&q=a%20b#top', demo)).toEqual({ kind: 'open', url: 'http://127.0.0.1:3001/api/items?page=2&q=a%20b#top' });
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:3000/'],
    ['IPv6 loopback', 'http://[::1]:3000/'],
    ['0.0.0.0', 'http://0.0.0.0:3000/'],
    ['LOCALHOST in capitals', 'http://LOCALHOST:3000/'],
  ])('maps %s like localhost', (_what, link) => {
    expect(linkTarget(link, demo)).toEqual({ kind: 'open', url: 'http://127.0.0.1:3001/' });
  });

  it('keeps https for a server that speaks TLS', () => {
    expect(linkTarget('https://localhost:3000/login', demo)).toEqual({ kind: 'open', url: 'https://127.0.0.1:3001/login' });
  });

  it('opens a port forwarded to the same number at 127.0.0.1', () => {
    expect(linkTarget('http://localhost:8080', demo)).toEqual({ kind: 'open', url: 'http://127.0.0.1:8080/' });
  });

  it.each(['https://github.com/coder/code-server', 'http://example.com:3000/', 'http://127.0.0.2:3000/', 'mailto:someone@example.com', 'not a url'])('leaves %s untouched', (link) => {
    expect(linkTarget(link, demo)).toEqual({ kind: 'open', url: link });
  });

  it('leaves a port the workspace does not list as it is', () => {
    expect(linkTarget('http://localhost:4000/x', demo)).toEqual({ kind: 'open', url: 'http://localhost:4000/x' });
    expect(linkTarget('http://localhost:3000/', [])).toEqual({ kind: 'open', url: 'http://localhost:3000/' });
  });

  it('reads a link without a port as port 80 or 443', () => {
    const web = portViews({ ports: [{ port: 80, host: '127.0.0.1' }] }, [{ port: 80, localPort: 8081, origin: 'manual' }]);
    expect(linkTarget('http://localhost/docs', web)).toEqual({ kind: 'open', url: 'http://127.0.0.1:8081/docs' });
    expect(linkTarget('https://localhost/docs', web)).toEqual({ kind: 'open', url: 'https://localhost/docs' });
  });

  it('asks for a listening port that is not forwarded to be forwarded first, and refuses to open it here when that did not work', () => {
    expect(linkTarget('http://[::1]:5173/', demo)).toEqual({ kind: 'forward-first', port: 5173 });
    expect(linkTarget('http://[::1]:5173/', demo, { forwardAsked: true })).toEqual({ kind: 'not-forwarded', port: 5173 });
    const forwarded = portViews({ ports: [{ port: 5173, host: '::1' }] }, [{ port: 5173, localPort: 5174, origin: 'manual' }]);
    expect(linkTarget('http://[::1]:5173/src/main.ts?t=1', forwarded, { forwardAsked: true })).toEqual({ kind: 'open', url: 'http://127.0.0.1:5174/src/main.ts?t=1' });
  });

  it('never uses a port of another workspace: only the editor\'s own lines are looked up', () => {
    // Another workspace forwards its 4000 to local 4001; this one has no 4000.
    const other = portViews({ ports: [{ port: 4000, host: '127.0.0.1' }] }, [{ port: 4000, localPort: 4001, origin: 'auto' }]);
    expect(linkTarget('http://localhost:4000/', other)).toEqual({ kind: 'open', url: 'http://127.0.0.1:4001/' });
    expect(linkTarget('http://localhost:4000/', demo)).toEqual({ kind: 'open', url: 'http://localhost:4000/' });
  });
});
