import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAwsProfiles, checkClock, checkCodeServerVersion, checkSshVersion, parseOpenSshVersion } from './desktop-checks.js';

describe('the ssh check', () => {
  it('reads the version OpenSSH prints, on Linux, macOS and Windows', () => {
    expect(parseOpenSshVersion('OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15 3 Sep 2024')).toEqual([9, 2]);
    expect(parseOpenSshVersion('OpenSSH_8.6p1, LibreSSL 3.3.6')).toEqual([8, 6]);
    expect(parseOpenSshVersion('OpenSSH_for_Windows_8.1p1, LibreSSL 3.0.2')).toEqual([8, 1]);
    expect(parseOpenSshVersion('Sun_SSH_1.1')).toBeUndefined();
  });

  it('passes 8.0 and later, and says which version it found', () => {
    expect(checkSshVersion('OpenSSH_8.0p1, OpenSSL 1.1.1')).toEqual({ name: 'ssh', status: 'ok', detail: 'OpenSSH 8.0 (certificates need 8.0 or later)' });
  });

  it('fails an older one, another ssh, or none, saying how to get a good one', () => {
    expect(checkSshVersion('OpenSSH_7.4p1, OpenSSL 1.0.2k')).toMatchObject({ status: 'fail', detail: "OpenSSH 7.4 is too old for Lightsail's SSH certificates (8.0 or later)" });
    expect(checkSshVersion('Sun_SSH_1.1')).toMatchObject({ status: 'fail', detail: 'ssh is not OpenSSH (it says "Sun_SSH_1.1")' });
    const missing = checkSshVersion(undefined);
    expect(missing).toMatchObject({ status: 'fail', detail: 'no ssh command on the PATH; Porthole opens every workspace through it' });
    expect(missing.fix).toMatch(/OpenSSH 8\.0 or later/);
  });
});

describe('the clock check', () => {
  const server = 'Fri, 04 Dec 2026 12:00:00 GMT';
  const at = Date.parse(server);

  it('passes within five minutes either way', () => {
    expect(checkClock(server, at + 299_000, 'Lightsail in us-east-1')).toEqual({ name: 'clock', status: 'ok', detail: 'within 299 s of Lightsail in us-east-1' });
    expect(checkClock(server, at - 60_000, 'lightsail-local').status).toBe('ok');
  });

  it('fails beyond, saying which way and how to fix it', () => {
    const ahead = checkClock(server, at + 301_000, 'Lightsail in us-east-1');
    expect(ahead).toMatchObject({ status: 'fail', detail: "this computer's clock is 301 s ahead of Lightsail in us-east-1; SSH certificates need it within 5 minutes" });
    expect(ahead.fix).toMatch(/NTP/);
    expect(checkClock(server, at - 3_600_000, 'lightsail-local').detail).toMatch(/3600 s behind lightsail-local/);
  });

  it('warns when the endpoint gave no time', () => {
    expect(checkClock(undefined, at, 'Lightsail in us-east-1')).toMatchObject({ status: 'warn' });
  });
});

describe('the code-server check', () => {
  const probe = (versionLine: () => string) => ({ bin: '/opt/code-server/bin/code-server', pinned: '4.100.3', versionLine });

  it('passes the pinned version, fails one that does not run as it, and only warns when none is installed', () => {
    expect(checkCodeServerVersion(probe(() => '4.100.3 e7b9a6f with Code 1.100.3'))).toEqual({ name: 'code-server', status: 'ok', detail: '4.100.3 e7b9a6f with Code 1.100.3 (the pinned 4.100.3)' });
    const other = checkCodeServerVersion(
      probe(() => {
        throw new Error('the installed code-server does not run as version 4.100.3: 4.99.0 abc with Code 1.99.0');
      }),
    );
    expect(other).toMatchObject({ status: 'fail', detail: 'the installed code-server does not run as version 4.100.3: 4.99.0 abc with Code 1.99.0', fix: 'Run "porthole sandbox install" (code-server 4.100.3).' });
    expect(checkCodeServerVersion({ ...probe(() => '4.100.3'), bin: undefined })).toMatchObject({ status: 'warn' });
  });
});

describe('the AWS profiles check', () => {
  it('passes with no profile in use, resolves static keys, and names a profile that is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-aws-'));
    try {
      await writeFile(join(dir, 'config'), '[profile work]\nregion = eu-west-1\n');
      await writeFile(join(dir, 'credentials'), '[work]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNl\n');
      const env = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
      expect(await checkAwsProfiles([], env)).toMatchObject({ status: 'ok', detail: 'no AWS profile in use (the Sandbox only)' });
      expect(await checkAwsProfiles(['work'], env)).toEqual({ name: 'aws-profiles', status: 'ok', detail: 'work resolves' });
      const missing = await checkAwsProfiles(['work', 'gone'], env);
      expect(missing).toMatchObject({ status: 'fail', detail: `AWS profile gone is not in ${join(dir, 'config')} or ${join(dir, 'credentials')}.` });
      expect(missing.fix).toMatch(/aws configure sso --profile gone/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
