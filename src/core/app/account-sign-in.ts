import type { SignInPrompt } from '../../shared/contract.js';
import { ssoLogin, type DeviceSignInPrompt } from '../credentials/sso-login.js';
import { PortholeError } from '../errors.js';

/** How a sign-in begun from the dashboard ended; plain words, never a token. */
export type SignInOutcome = { ok: true; expiresAt: string } | { ok: false; error: unknown; cancelled: boolean };

export interface AccountSignInsOptions {
  /** Opens the approval page in the system browser. */
  openUrl: (url: string) => Promise<void>;
  /** Called once per sign-in that was not replaced by a newer one for the same account. */
  onFinished: (account: string, outcome: SignInOutcome) => Promise<void> | void;
  /** The browser could not be opened: the dialog still shows the link. */
  onOpenFailed?: (account: string, error: unknown) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * IAM Identity Center device sign-ins started from the UI: each answers as
 * soon as there is a code to approve and finishes in the background. A new
 * sign-in for the same account replaces the one under way (the page was
 * reloaded, the dialog closed), so only the latest reports its outcome.
 */
export class AccountSignIns {
  readonly #options: AccountSignInsOptions;
  readonly #running = new Map<string, AbortController>();

  constructor(options: AccountSignInsOptions) {
    this.#options = options;
  }

  isRunning(account: string): boolean {
    return this.#running.has(account);
  }

  /** Resolves with the code once the browser has been asked to open the page; rejects if the profile cannot sign in this way. */
  start(account: string, profile: string): Promise<SignInPrompt> {
    this.#running.get(account)?.abort();
    const controller = new AbortController();
    this.#running.set(account, controller);
    const current = () => this.#running.get(account) === controller;
    return new Promise<SignInPrompt>((resolve, reject) => {
      let prompted = false;
      ssoLogin({
        profile,
        signal: controller.signal,
        ...(this.#options.env ? { env: this.#options.env } : {}),
        sleep: (ms) => abortableSleep(ms, controller.signal),
        openUrl: async (prompt: DeviceSignInPrompt) => {
          prompted = true;
          resolve({ verificationUri: prompt.verificationUriComplete, userCode: prompt.userCode, expiresAt: prompt.expiresAt });
          // Given up (or replaced) while the code was being asked for: no page for a sign-in nobody waits on.
          if (controller.signal.aborted) return;
          await this.#options.openUrl(prompt.verificationUriComplete).catch((error: unknown) => this.#options.onOpenFailed?.(account, error));
        },
      }).then(
        async (result) => {
          if (!current()) return;
          this.#running.delete(account);
          await this.#options.onFinished(account, { ok: true, expiresAt: result.expiresAt });
        },
        async (error: unknown) => {
          if (!prompted) reject(error);
          if (!current()) return;
          this.#running.delete(account);
          if (prompted) await this.#options.onFinished(account, { ok: false, error, cancelled: controller.signal.aborted });
        },
      );
    });
  }

  /** True when there was a sign-in under way to give up. */
  cancel(account: string): boolean {
    const controller = this.#running.get(account);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
    this.#running.clear();
  }
}

/** The sign-in's wait between polls, cut short when it is cancelled so the dialog hears at once. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
  });
}

export function cancelledSignIn(account: string): PortholeError {
  return new PortholeError('usage', `The sign-in for ${account} was cancelled.`, { fix: 'Sign in again when you are ready.' });
}
