import { PortholeError } from '../errors.js';
import type { SecretStore } from './secret-store.js';

type Keytar = typeof import('keytar');

/** The keychain service every Porthole entry is filed under. */
export const KEYCHAIN_SERVICE = 'porthole';

type KeychainAction = 'read' | 'save' | 'delete' | 'list';

/**
 * The OS keychain through keytar: the macOS Keychain, the Windows
 * Credential Manager, or the Secret Service (GNOME Keyring, KWallet) on
 * Linux. keytar is loaded on first use, so a machine without the keychain
 * library still runs everything that does not need a password.
 */
export class KeytarSecretStore implements SecretStore {
  readonly service: string;
  #keytar: Promise<Keytar> | undefined;
  readonly #importKeytar: () => Promise<Keytar>;

  /** `importKeytar` is keytar's own import; a test passes one that stands between keytar and the keychain. */
  constructor(service: string = KEYCHAIN_SERVICE, importKeytar: () => Promise<Keytar> = () => import('keytar')) {
    this.service = service;
    this.#importKeytar = importKeytar;
  }

  async get(account: string): Promise<string | undefined> {
    const secret = await this.#call('read', account, (keytar) => keytar.getPassword(this.service, account));
    return secret ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    // keytar hands strings to the system as C strings: everything after a NUL would be silently lost.
    if (secret.includes('\0')) {
      throw new PortholeError('internal', `A secret for ${account} has a NUL character; the keychain would store it cut short.`);
    }
    await this.#call('save', account, (keytar) => keytar.setPassword(this.service, account, secret), secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.#call('delete', account, (keytar) => keytar.deletePassword(this.service, account));
  }

  async list(): Promise<string[]> {
    const credentials = await this.#call('list', undefined, (keytar) => keytar.findCredentials(this.service));
    return credentials.map(({ account }) => account);
  }

  async #call<T>(
    action: KeychainAction,
    account: string | undefined,
    operation: (keytar: Keytar) => Promise<T>,
    secret?: string,
  ): Promise<T> {
    const keytar = await this.#load();
    try {
      return await operation(keytar);
    } catch (first) {
      // GNOME Keyring sometimes answers the first call of a session before
      // its login collection is ready; a second call finds it.
      if (!isMissingCollection(first)) throw keychainError(action, account, first, secret);
      try {
        return await operation(keytar);
      } catch (second) {
        throw keychainError(action, account, second, secret);
      }
    }
  }

  #load(): Promise<Keytar> {
    this.#keytar ??= this.#importKeytar().then(
      (module) => (module as Keytar & { default?: Keytar }).default ?? module,
      (error: unknown) => {
        this.#keytar = undefined;
        throw new PortholeError('keychain', `Porthole could not load the system keychain library (${firstLine(error)}).`, {
          fix:
            process.platform === 'linux'
              ? 'Install libsecret and a keyring (Debian/Ubuntu: sudo apt install libsecret-1-0 gnome-keyring), then restart Porthole.'
              : 'Reinstall Porthole.',
          cause: error,
        });
      },
    );
    return this.#keytar;
  }
}

function isMissingCollection(error: unknown): boolean {
  return /collection\/login/i.test(firstLine(error));
}

const NO_SERVICE =
  /Cannot autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect|ServiceUnknown|not provided by any \.service files|NoReply|Disconnected/i;
const LOCKED = /collection\/login|locked|prompt|dismissed|cancel|User interaction is not allowed|passphrase/i;

/**
 * A keychain failure in words a user can act on. keytar's messages come from
 * the system and do not contain the secret; the secret is scrubbed anyway in
 * case a platform ever echoes its input, and the raw error is not kept as
 * the cause for the same reason.
 */
function keychainError(action: KeychainAction, account: string | undefined, cause: unknown, secret?: string): PortholeError {
  const detail = scrub(firstLine(cause), secret);
  const what = account === undefined ? 'workspace passwords' : `the password of ${account}`;
  if (NO_SERVICE.test(detail)) {
    return new PortholeError('keychain', `No keychain is running in this session, so Porthole cannot ${action} ${what} (${detail}).`, {
      fix:
        process.platform === 'linux'
          ? 'Log in to a desktop session with GNOME Keyring or KWallet; on a machine without a desktop, start one inside a D-Bus session: dbus-run-session -- sh -c "gnome-keyring-daemon --unlock --components=secrets; porthole ...".'
          : 'Make sure you are logged in to a desktop session, then try again.',
    });
  }
  if (LOCKED.test(detail)) {
    return new PortholeError('keychain', `The keychain is locked or has no login keyring, so Porthole cannot ${action} ${what} (${detail}).`, {
      fix: 'Unlock your login keyring (log in to the desktop, or unlock it in your password manager), then try again.',
    });
  }
  return new PortholeError('keychain', `The keychain refused to ${action} ${what}: ${detail}.`, {
    fix: 'Check that your system password manager opens and works, then try again.',
  });
}

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[secret]') : text;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
