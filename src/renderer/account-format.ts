/**
 * The role an ARN signs in as, in the words a person uses: an IAM Identity
 * Center role without its `AWSReservedSSO_` prefix and hash suffix, an IAM
 * role, a user, or the root user.
 */
export function roleFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const [type, name] = resource.split('/');
  if (type === 'assumed-role' && name) return name.replace(/^AWSReservedSSO_(.+?)(?:_[0-9a-f]{8,})?$/, '$1');
  if (type === 'role' && name) return name;
  if (type === 'user' && name) return `user ${name}`;
  if (resource === 'root') return 'root user';
  return resource || arn;
}

/** "until 14:05 (in 52 min)", "expired 3 min ago", or "no expiry" for long-lived keys. */
export function expiryText(expiresAt: string | undefined, now: Date): string {
  if (!expiresAt) return 'no expiry';
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return expiresAt;
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (minutes < 0) return `expired ${-minutes} min ago (${time})`;
  if (minutes < 120) return `until ${time} (in ${minutes} min)`;
  return `until ${time} (in ${Math.round(minutes / 60)} h)`;
}
