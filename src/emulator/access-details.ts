import type { Account, Call } from './account.js';
import { findBlueprint } from './catalogue.js';
import { type Input, epochSeconds, optionalString, requiredString } from './input.js';
import { invalidInput, wrongState } from './lightsail-error.js';
import { findInstance } from './instances.js';
import { fingerprints, newHostKeys, newRsaKey, signUserCertificate } from './ssh-keys.js';
import type { HostKeyData, InstanceData, KeyPairData } from './world.js';

/** How long a granted certificate lasts; Lightsail's last about ten minutes. */
const CERTIFICATE_LIFETIME_MS = 10 * 60 * 1000;
/** Starts a little in the past so a client whose clock runs behind can still use it. */
const CERTIFICATE_BACKDATE_MS = 60 * 1000;
const CA_COMMENT = 'lightsail-local-ca';

/** Key generation is asynchronous; concurrent first calls must share one CA, not race to make two. */
const pendingCa = new WeakMap<Account, Promise<KeyPairData>>();
const pendingHostKeys = new WeakMap<InstanceData, Promise<HostKeyData[]>>();

export function sshCertificateAuthority(account: Account): Promise<KeyPairData> {
  const existing = account.data.sshCa;
  if (existing) return Promise.resolve(existing);
  let pending = pendingCa.get(account);
  if (!pending) {
    pending = newRsaKey(3072).then(({ privateKeyPem, publicKey }) => {
      account.data.sshCa ??= { privateKeyPem, publicKey };
      account.changed();
      return account.data.sshCa;
    });
    pendingCa.set(account, pending);
  }
  return pending;
}

/** The line an sshd's `TrustedUserCAKeys` file needs to accept the certificates handed out here. */
export async function sshCaPublicKeyLine(account: Account): Promise<string> {
  const ca = await sshCertificateAuthority(account);
  return `ssh-rsa ${ca.publicKey} ${CA_COMMENT}`;
}

/** An instance's host keys are made once and kept, as a real server's are. */
export function instanceHostKeys(account: Account, instance: InstanceData, now: number): Promise<HostKeyData[]> {
  if (instance.hostKeys) return Promise.resolve(instance.hostKeys);
  let pending = pendingHostKeys.get(instance);
  if (!pending) {
    pending = newHostKeys().then((keys) => {
      instance.hostKeys ??= keys.map((k) => ({ ...k, witnessedAt: now }));
      account.changed();
      return instance.hostKeys;
    });
    pendingHostKeys.set(instance, pending);
  }
  return pending;
}

export async function getInstanceAccessDetails(account: Account, call: Call, input: Input): Promise<unknown> {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  const protocol = optionalString(input, 'protocol') ?? 'ssh';
  if (protocol === 'rdp') throw invalidInput(`RDP access is for Windows instances; '${instance.name}' runs Linux. Use protocol ssh.`);
  if (protocol !== 'ssh') throw invalidInput(`The protocol '${protocol}' is not valid. Use ssh or rdp.`);
  if (instance.state !== 'running' || !instance.publicIpAddress) {
    throw wrongState(
      `The instance '${instance.name}' is in the ${instance.state} state; GetInstanceAccessDetails needs it running. Start it and wait until it is running.`,
    );
  }
  const username = findBlueprint(instance.blueprintId)?.username ?? 'ec2-user';
  const [ca, hostKeys, userKey] = await Promise.all([
    sshCertificateAuthority(account),
    instanceHostKeys(account, instance, call.now),
    newRsaKey(),
  ]);
  // The certificate is checked by a real sshd against the wall clock, so its validity is wall-clock time.
  const issuedAt = Date.now();
  const certificate = signUserCertificate({
    caPrivateKeyPem: ca.privateKeyPem,
    userKey: userKey.key,
    principal: username,
    keyId: `${instance.arn}/${username}`,
    serial: account.nextSequence(),
    validAfterMs: issuedAt - CERTIFICATE_BACKDATE_MS,
    validBeforeMs: issuedAt + CERTIFICATE_LIFETIME_MS,
  });
  return {
    accessDetails: {
      certKey: certificate.line,
      expiresAt: epochSeconds(certificate.validBefore),
      ipAddress: instance.publicIpAddress,
      ipv6Addresses: instance.ipv6Addresses,
      privateKey: userKey.privateKeyPem,
      protocol: 'ssh',
      instanceName: instance.name,
      username,
      hostKeys: hostKeys.map((k) => {
        const prints = fingerprints(Buffer.from(k.publicKey, 'base64'));
        return {
          algorithm: k.algorithm,
          publicKey: k.publicKey,
          witnessedAt: epochSeconds(k.witnessedAt),
          fingerprintSHA1: prints.sha1,
          fingerprintSHA256: prints.sha256,
        };
      }),
    },
  };
}
