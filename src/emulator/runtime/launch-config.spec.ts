import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { localCodeServerYaml, readDiskConfig, readLaunchConfig } from './launch-config.js';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

function script(config: string[], certificate = false): string {
  return [
    '#!/bin/bash',
    'step_1() {',
    ...(certificate
      ? [
          'if [[ ! -s /etc/porthole/tls/cert.pem ]]; then',
          '  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj /CN=porthole -keyout /etc/porthole/tls/key.pem -out /etc/porthole/tls/cert.pem 2>/dev/null',
          'fi',
        ]
      : []),
    "cat >/etc/porthole/code-server.yaml <<'PORTHOLE_CONFIG'",
    ...config,
    'PORTHOLE_CONFIG',
    '}',
    '',
  ].join('\n');
}

/** The self-unpacking form a launch script takes when it would not fit in 16 KB. */
function packed(text: string): string {
  const payload = gzipSync(text).toString('base64').replace(/.{1,76}/g, '$&\n');
  return ['#!/bin/bash', "payload=$(cat <<'PORTHOLE_PACKED'", `${payload}PORTHOLE_PACKED`, ')', 'exec bash <(base64 -d <<<"$payload" | gunzip)', ''].join('\n');
}

const TUNNEL = ['bind-addr: 127.0.0.1:8080', 'cert: false', 'auth: password', `hashed-password: '${HASH}'`];
const DIRECT = ['bind-addr: 0.0.0.0:8443', 'cert: /etc/porthole/tls/cert.pem', 'cert-key: /etc/porthole/tls/key.pem', 'auth: password', `hashed-password: '${HASH}'`];

describe('reading code-server settings from a launch script', () => {
  it('takes the config block of a tunnel script as written', () => {
    expect(readLaunchConfig(script(TUNNEL))).toEqual({ codeServerYaml: `${TUNNEL.join('\n')}\n`, accessMode: 'tunnel' });
  });

  it('unpacks the compressed form and finds the certificate command of a direct script', () => {
    const config = readLaunchConfig(packed(script(DIRECT, true)));
    expect(config).toMatchObject({ accessMode: 'direct', codeServerYaml: `${DIRECT.join('\n')}\n` });
    expect(config).toHaveProperty('certificateCommand', expect.stringMatching(/^openssl req -x509 .* -out \/etc\/porthole\/tls\/cert\.pem$/));
  });

  it('says why when there is nothing to run', () => {
    expect(readLaunchConfig(undefined)).toEqual({ problem: expect.stringMatching(/without a launch script/) });
    expect(readLaunchConfig('#!/bin/bash\necho hi\n')).toEqual({ problem: expect.stringMatching(/writes no code-server config/) });
    expect(readLaunchConfig("payload=$(cat <<'PORTHOLE_PACKED'\nnot-gzip\nPORTHOLE_PACKED\n")).toEqual({ problem: expect.stringMatching(/does not unpack/) });
  });

  it("lets a later script's config win on a disk that several scripts configured, and ignores later ones that configure nothing", () => {
    expect(readDiskConfig([script(TUNNEL), script(DIRECT, true)])).toMatchObject({ accessMode: 'direct' });
    expect(readDiskConfig([script(DIRECT, true), '#!/bin/bash\necho layer\n'])).toMatchObject({ accessMode: 'direct' });
    expect(readDiskConfig([])).toEqual({ problem: expect.stringMatching(/without a launch script/) });
  });

  it('moves code-server to its own loopback port and the TLS files into the instance folder', () => {
    const config = readLaunchConfig(script(DIRECT, true));
    if ('problem' in config) throw new Error(config.problem);
    const yaml = localCodeServerYaml(config, 40123, '/state/i/tls');
    expect(yaml.split('\n').slice(0, 4)).toEqual(['bind-addr: 127.0.0.1:40123', 'cert: /state/i/tls/cert.pem', 'cert-key: /state/i/tls/key.pem', 'auth: password']);
    expect(yaml).not.toContain('0.0.0.0');
  });
});
