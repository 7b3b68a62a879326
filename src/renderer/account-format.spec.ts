import { describe, expect, it } from 'vitest';
import { expiryText, roleFromArn } from './account-format';

describe('account identity as the settings show it', () => {
  it('names the role an ARN signs in as', () => {
    expect(roleFromArn('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice')).toBe('Developer');
    expect(roleFromArn('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly/bob')).toBe('ReadOnly');
    expect(roleFromArn('arn:aws:sts::111122223333:assumed-role/deploy/session-1')).toBe('deploy');
    expect(roleFromArn('arn:aws:iam::111122223333:role/admin')).toBe('admin');
    expect(roleFromArn('arn:aws:iam::111122223333:user/alice')).toBe('user alice');
    expect(roleFromArn('arn:aws:iam::111122223333:root')).toBe('root user');
    expect(roleFromArn('not-an-arn')).toBe('not-an-arn');
  });

  it('says how long the credentials last, or since when they are expired', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    expect(expiryText(undefined, now)).toBe('no expiry');
    expect(expiryText('2026-11-29T10:52:00Z', now)).toMatch(/^until .+ \(in 52 min\)$/);
    expect(expiryText('2026-11-29T18:00:00Z', now)).toMatch(/^until .+ \(in 8 h\)$/);
    expect(expiryText('2026-11-29T09:57:00Z', now)).toMatch(/^expired 3 min ago/);
  });
});
