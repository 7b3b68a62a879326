import { describe, expect, it } from 'vitest';
import { deepLinkInArgs, parseDeepLink } from './deep-link-policy.js';

describe('parseDeepLink', () => {
  it('reads porthole://open/NAME', () => {
    expect(parseDeepLink('porthole://open/demo')).toEqual({ action: 'open', name: 'demo' });
    expect(parseDeepLink('porthole://open/api-2/')).toEqual({ action: 'open', name: 'api-2' });
  });

  it('reads an optional region', () => {
    expect(parseDeepLink('porthole://open/demo?region=eu-west-3')).toEqual({ action: 'open', name: 'demo', region: 'eu-west-3' });
  });

  it.each([
    ['another scheme', 'https://open/demo'],
    ['another action', 'porthole://delete/demo'],
    ['no name', 'porthole://open/'],
    ['an invalid name', 'porthole://open/Demo_1'],
    ['a name with a path after it', 'porthole://open/demo/extra'],
    ['an escaped slash', 'porthole://open/demo%2F..'],
    ['a dot-dot name', 'porthole://open/..'],
    ['an unknown query', 'porthole://open/demo?cmd=rm'],
    ['a bad region', 'porthole://open/demo?region=../../x'],
    ['credentials', 'porthole://user:pw@open/demo'],
    ['a fragment', 'porthole://open/demo#x'],
    ['not a URL', 'open demo'],
    ['a too long name', `porthole://open/${'a'.repeat(64)}`],
  ])('rejects %s', (_what, link) => {
    expect(parseDeepLink(link)).toBeUndefined();
  });
});

describe('deepLinkInArgs', () => {
  it('finds the link among the arguments a second instance was started with', () => {
    expect(deepLinkInArgs(['/usr/bin/porthole', '--no-sandbox', 'porthole://open/demo'])).toEqual({ action: 'open', name: 'demo' });
  });

  it('finds nothing when there is no valid link', () => {
    expect(deepLinkInArgs(['/usr/bin/porthole', 'porthole://open/BAD NAME'])).toBeUndefined();
    expect(deepLinkInArgs(['/usr/bin/porthole'])).toBeUndefined();
  });
});
