import type { SignInPrompt } from '../../shared/contract.js';
import type { AccountDirectory } from './account-directory.js';
import { AccountSignIns, cancelledSignIn, type SignInOutcome } from './account-sign-in.js';
import { toContractError } from './contract-error.js';
import type { DashboardContext } from './dashboard-context.js';

/**
 * Signing in to an IAM Identity Center account from the dashboard, and what
 * follows when an account's credentials stop or start working: the banner,
 * the log line, the notice, and the paused poller going again.
 */
export class DashboardSignIn {
  readonly #context: DashboardContext;
  readonly #directory: AccountDirectory;
  readonly #signIns: AccountSignIns;

  constructor(context: DashboardContext, directory: AccountDirectory) {
    this.#context = context;
    this.#directory = directory;
    const { options, events } = context;
    this.#signIns = new AccountSignIns({
      openUrl: (url) => options.openExternal(url),
      onOpenFailed: (account) => events.log('info', `Could not open the browser for the sign-in to ${account}; open the link the dialog shows.`),
      onFinished: (account, outcome) => this.#finished(account, outcome),
      ...(options.env ? { env: options.env } : {}),
    });
  }

  async start(account: string): Promise<SignInPrompt> {
    const profile = this.#directory.profileOf(account);
    const prompt = await this.#signIns.start(account, profile);
    this.#context.events.log('info', `Signing in to ${account}: approve code ${prompt.userCode} in the browser.`);
    return prompt;
  }

  cancel(account: string): boolean {
    return this.#signIns.cancel(account);
  }

  cancelAll(): void {
    this.#signIns.cancelAll();
  }

  /** The poller found an account's credentials refused (it pauses) or working again (it polls again). */
  credentialsChanged(account: string, health: 'ok' | 'expired', error: unknown, canSignIn: boolean): void {
    const { events } = this.#context;
    const problem = error === undefined ? undefined : toContractError(error);
    this.#directory.setHealth(account, { health, ...(problem ? { message: problem.message } : {}), ...(problem?.fix ? { fix: problem.fix } : {}) });
    events.hub.emit('accountHealth', { account, health, ...(problem ? { message: problem.message } : {}), ...(problem?.fix ? { fix: problem.fix } : {}) });
    if (health === 'expired') {
      events.log('error', `Sign-in needed for ${account}: ${problem?.message ?? 'its credentials stopped working'} Checking for changes is paused until then.`);
      events.hub.emit('notice', {
        level: 'error',
        title: `Sign-in needed for ${account}`,
        message: problem?.fix ? `${problem.message} ${problem.fix}` : (problem?.message ?? ''),
        ...(canSignIn ? { action: { kind: 'signIn' as const, account } } : {}),
      });
      return;
    }
    events.log('success', `The credentials of ${account} work again; checking for changes resumed.`);
    const engine = this.#context.activeSession()?.engine;
    if (engine && engine.account === account) events.hub.emit('workspacesReset', { account, workspaces: engine.list() });
  }

  async #finished(account: string, outcome: SignInOutcome): Promise<void> {
    const { events } = this.#context;
    if (!outcome.ok) {
      const problem = toContractError(outcome.cancelled ? cancelledSignIn(account) : outcome.error);
      const message = problem.fix ? `${problem.message} ${problem.fix}` : problem.message;
      events.log(outcome.cancelled ? 'info' : 'error', outcome.cancelled ? `Sign-in to ${account} cancelled.` : `Sign-in to ${account} failed: ${message}`);
      events.hub.emit('signInFinished', { account, ok: false, message });
      return;
    }
    events.log('success', `Signed in to ${account} until ${outcome.expiresAt}.`);
    // The account's paused poller tries again now, so its workspaces come back without a restart.
    await this.#context.openSession(account)?.poller.resume();
    await this.#directory.whoAmI(account).catch(() => undefined);
    events.hub.emit('signInFinished', { account, ok: true });
  }
}
