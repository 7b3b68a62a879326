/**
 * This computer's public address as the emulated cloud sees it. All
 * sandbox traffic comes from loopback, so the address is the socket's
 * unless a test or demo says otherwise (`POST /_emulator/ip`): the IP echo
 * answers it, and an instance's SSH firewall judges connections by it. The
 * echo can be taken down, to show what a client does without it.
 */
export class CallerAddress {
  #override: string | undefined;
  #echoDown = false;

  /** The address a connection from `socketAddress` counts as coming from. */
  of(socketAddress: string): string {
    return this.#override ?? plainAddress(socketAddress);
  }

  get overridden(): boolean {
    return this.#override !== undefined;
  }

  get echoDown(): boolean {
    return this.#echoDown;
  }

  /** `ip` null goes back to the socket's address; `echoDown` makes the echo answer 503. */
  set(changes: { ip?: string | null; echoDown?: boolean }): void {
    if (changes.ip === null) this.#override = undefined;
    else if (changes.ip !== undefined) this.#override = changes.ip;
    if (changes.echoDown !== undefined) this.#echoDown = changes.echoDown;
  }

  reset(): void {
    this.#override = undefined;
    this.#echoDown = false;
  }
}

/** The address as a person would type it: IPv4 callers on a dual-stack socket lose the `::ffff:` wrapper. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
