import { describe, expect, it } from 'vitest';
import { renewedCookies } from './login-front.js';

const NOW = [{ name: 'code-server-session', value: 'new', path: '/', httpOnly: true, secure: false }];

describe('the login front after its session logged in again', () => {
  it('sends the new session cookie in place of the one its link handed out, and keeps the others as they are', () => {
    const handed = new Set(['code-server-session=old']);
    expect(renewedCookies('theme=dark; code-server-session=old; x=1', handed, NOW)).toBe('theme=dark; code-server-session=new; x=1');
  });

  it('passes any cookie it did not hand out unchanged, so a guessed or stolen value gains nothing', () => {
    const handed = new Set(['code-server-session=old']);
    expect(renewedCookies('code-server-session=guess', handed, NOW)).toBe('code-server-session=guess');
    expect(renewedCookies('code-server-session=old', new Set(), NOW)).toBe('code-server-session=old');
    expect(renewedCookies(undefined, handed, NOW)).toBeUndefined();
  });
});
