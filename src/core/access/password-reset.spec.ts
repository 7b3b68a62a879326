import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordResetScript } from './password-reset.js';

const dir = mkdtempSync(join(tmpdir(), 'porthole-reset-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$3q2+7w/abc.def';

describe('the password reset script, run by a real sh', () => {
  it('replaces only the hash line, keeps the file private, and restarts code-server', () => {
    const config = join(dir, 'code-server.yaml');
    writeFileSync(config, "bind-addr: 127.0.0.1:8080\nauth: password\nhashed-password: '$argon2id$old'\ndisable-telemetry: true\n");
    const marker = join(dir, 'restarted');
    const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
    const script = passwordResetScript(HASH, { configPath: config, group, restart: `touch '${marker}'` });
    const run = spawnSync('sh', ['-s'], { input: script, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(`bind-addr: 127.0.0.1:8080\nauth: password\nhashed-password: '${HASH}'\ndisable-telemetry: true\n`);
    expect(statSync(config).mode & 0o777).toBe(0o640);
    expect(statSync(marker).isFile()).toBe(true);
  });

  it('stops with a clear message on a machine Porthole did not set up, and changes nothing', () => {
    const run = spawnSync('sh', ['-s'], { input: passwordResetScript(HASH, { configPath: join(dir, 'absent.yaml'), group: 'root', restart: 'false' }), encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('was not set up by Porthole');
  });

  it('refuses anything but an argon2 hash, so nothing else can reach the shell', () => {
    expect(() => passwordResetScript("x'; rm -rf /; '")).toThrow(/argon2/);
  });
});
