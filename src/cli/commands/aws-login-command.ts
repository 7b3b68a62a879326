import type { Command } from 'commander';
import { Option } from 'commander';
import { awsSignInTarget, signInToAwsOnBox } from '../../core/access/box-aws-login.js';
import { awsEndpointResolver, sandboxEndpointResolver } from '../../core/access/ssh-endpoint-resolver.js';
import type { CliIo } from '../cli-io.js';
import { withContext, type GlobalOptions } from '../context.js';
import { openInSystemBrowser } from '../system-browser.js';

interface AwsLoginOptions {
  profile?: string;
  browser: boolean;
  region?: string;
}

/** `porthole aws-login NAME`: the workspace's own AWS CLI signs in to IAM Identity Center, approved in this computer's browser. */
export function registerAwsLoginCommand(program: Command, io: CliIo): void {
  program
    .command('aws-login <name>')
    .description("sign the workspace's AWS CLI in to IAM Identity Center: the workspace starts the sign-in, you approve it in your browser here, the token stays on the workspace")
    .option('--profile <profile>', "which of the workspace's AWS profiles (default: the first it was created with)")
    .option('--no-browser', 'only print the link and code; open it yourself')
    .addOption(new Option('--region <region>', 'the region, when the name is used in several'))
    .action((name: string, options: AwsLoginOptions) =>
      withContext(program.opts<GlobalOptions>(), io, async (ctx) => {
        const { target, profile } = awsSignInTarget(ctx.engine.get(name, options.region), options.profile);
        const resolver = ctx.sandboxEndpoint !== undefined ? sandboxEndpointResolver(ctx.sandboxEndpoint, 'ssh') : awsEndpointResolver;
        const controller = new AbortController();
        const cancel = (): void => controller.abort();
        process.once('SIGINT', cancel);
        try {
          const signedIn = await signInToAwsOnBox({ gateway: ctx.gateway, resolver, firewall: ctx.firewall }, target, profile, {
            signal: controller.signal,
            onPrompt: async (prompt) => {
              if (ctx.json) io.stdout.write(`${JSON.stringify({ workspace: name, profile, ...prompt })}\n`);
              io.stderr.write(`To sign ${name} in to AWS as ${profile}, open ${prompt.verificationUriComplete}\nand check that it shows the code ${prompt.userCode}.\n`);
              if (options.browser) await openInSystemBrowser(prompt.verificationUriComplete).catch((error: Error) => io.stderr.write(`${error.message} The link is above.\n`));
            },
          });
          if (ctx.json) io.stdout.write(`${JSON.stringify({ ...signedIn, signedIn: true })}\n`);
          else io.stdout.write(`Workspace "${name}" is signed in to AWS as ${profile}; its token stays on the workspace, in ~/.aws/sso/cache.\n`);
        } finally {
          process.removeListener('SIGINT', cancel);
        }
      }),
    );
}
