import type { AwsSignInPromptView, PortholeHandlers } from '../../shared/contract.js';
import { awsSignInTarget, signInToAwsOnBox } from '../access/box-aws-login.js';
import type { DashboardContext } from './dashboard-context.js';

/**
 * "Sign in to AWS on this workspace" from the dashboard, the tray or a
 * notification: answers once the workspace's CLI has printed its code and
 * the browser was asked to open the page, and finishes in the background
 * with `awsSignInFinished` and a line in the activity log. A new sign-in of
 * the same workspace replaces the one under way. Only the link and code
 * reach the page; the token stays on the workspace.
 */
export class WorkspaceAwsSignIns {
  readonly #context: DashboardContext;
  readonly #running = new Map<string, AbortController>();

  constructor(context: DashboardContext) {
    this.#context = context;
  }

  handlers(): Pick<PortholeHandlers, 'signInToAws'> {
    return { signInToAws: (request) => this.start(request) };
  }

  start(request: Parameters<PortholeHandlers['signInToAws']>[0]): Promise<AwsSignInPromptView> {
    const { events, options } = this.#context;
    const session = this.#context.session(request.account);
    const workspace = session.engine.get(request.name, request.region);
    const { target, profile } = awsSignInTarget(workspace, request.profile);
    const about = { name: workspace.name, region: workspace.region, account: session.name };
    const key = `${session.name}/${workspace.region}/${workspace.name}`;
    this.#running.get(key)?.abort();
    const controller = new AbortController();
    this.#running.set(key, controller);
    const finish = (ok: boolean, message?: string) => {
      if (this.#running.get(key) !== controller) return;
      this.#running.delete(key);
      events.hub.emit('awsSignInFinished', { ...about, profile, ok, ...(message ? { message } : {}) });
      events.log(ok ? 'success' : 'error', ok ? `${events.label(workspace.name, session.name)} is signed in to AWS as ${profile}.` : `The AWS sign-in on ${events.label(workspace.name, session.name)} failed: ${message ?? ''}`, about);
    };
    return new Promise<AwsSignInPromptView>((resolve, reject) => {
      let prompted = false;
      signInToAwsOnBox(session.boxAccess, target, profile, {
        signal: controller.signal,
        onPrompt: async (prompt) => {
          prompted = true;
          resolve({ workspace: workspace.name, profile, verificationUri: prompt.verificationUriComplete, userCode: prompt.userCode });
          await options.openExternal(prompt.verificationUriComplete).catch(() => undefined);
        },
      }).then(
        () => {
          finish(true);
          // The status read that follows finds the new token.
          void session.engine.refresh().catch(() => undefined);
        },
        (error: unknown) => {
          if (!prompted) {
            if (this.#running.get(key) === controller) this.#running.delete(key);
            return reject(error);
          }
          finish(false, error instanceof Error ? error.message : String(error));
        },
      );
    });
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
    this.#running.clear();
  }
}
