import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateValidity } from './certificate-validity.js';

const dir = mkdtempSync(join(tmpdir(), 'porthole-cert-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function signed(type: 'rsa' | 'ed25519' | 'ecdsa', validity: string): string {
  const ca = join(dir, `ca-${type}`);
  const key = join(dir, `key-${type}-${validity.replace(/\W/g, '')}`);
  for (const path of [ca, key]) {
    if (!existsSync(path) && spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]).status !== 0) throw new Error(`ssh-keygen could not make ${path}`);
  }
  const run = spawnSync('ssh-keygen', ['-q', '-s', ca, '-I', 'spec', '-n', 'ubuntu', '-V', validity, `${key}.pub`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return readFileSync(`${key}-cert.pub`, 'utf8');
}

describe('certificateValidity', () => {
  it.each(['rsa', 'ed25519', 'ecdsa'] as const)('reads the window of an %s certificate', (type) => {
    expect(certificateValidity(signed(type, '20200101000000Z:20200102000000Z'))).toEqual({
      validAfter: new Date('2020-01-01T00:00:00Z'),
      validBefore: new Date('2020-01-02T00:00:00Z'),
    });
  });

  it('reads a certificate valid forever as having no end', () => {
    expect(certificateValidity(signed('ed25519', 'always:forever'))?.validBefore).toBeUndefined();
  });

  it('reads the bare base64 blob Lightsail may send as well as the full line', () => {
    const line = signed('rsa', '20300101000000Z:20300101001000Z');
    expect(certificateValidity(line.split(' ')[1]!)?.validBefore).toEqual(new Date('2030-01-01T00:10:00Z'));
  });

  it('answers undefined for a plain public key or garbage', () => {
    expect(certificateValidity(readFileSync(join(dir, 'ca-rsa.pub'), 'utf8'))).toBeUndefined();
    expect(certificateValidity('not a certificate')).toBeUndefined();
  });
});
