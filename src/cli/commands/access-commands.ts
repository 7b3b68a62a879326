import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { startLoginFront } from '../../core/access/login-front.js';
import { portholeSshDir } from '../../core/access/ssh-config-file.js';
import { writeSshConfig } from '../../core/access/ssh-config-writer.js';
import { sshFailure, sshLoginOptions, writeSshLoginFiles } from '../../core/access/ssh-login-files.js';
import { freshAccess, hostAlias, tunnelTargetOf, type TunnelTarget } from '../../core/access/ssh-tunnel.js';
import { wireWorkspaceAccess, endpointResolver } from '../../core/access/workspace-access-wiring.js';
import { setInstancePassword } from '../../core/access/password-reset.js';
import { PortholeError } from '../../core/errors.js';
import { KeytarSecretStore } from '../../core/secrets/keytar-secret-store.js';
import { generatePassword, hashPassword } from '../../core/secrets/password.js';
import { KeychainPasswords } from '../../core/workspaces/keychain-passwords.js';
import type { Workspace } from '../../shared/workspace.js';
import type { CliIo } from '../cli-io.js';
import { openEngine, withContext, type CliContext, type GlobalOptions } from '../context.js';
import { selfCommand } from '../self-command.js';
import { interrupted } from '../interrupted.js';
import { openInSystemBrowser } from '../system-browser.js';

interface RegionOption {
  region?: string;
}

/** How to reach a workspace: `porthole open`, `ssh`, `ssh-config` and the `ssh-proxy` that plain ssh calls back. */
export function registerAccessCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const globals = () => program.opts<GlobalOptions>();
  const region = () => new Option('--region <region>', 'the region, when the name is used in several');

  program
    .command('open <name>')
    .description('open a workspace in your browser through its SSH tunnel, already logged in; Ctrl-C closes the tunnel')
    .option('--print-url', 'print a one-time login link instead of starting the browser')
    .addOption(region())
    .action(async (name: string, options: RegionOption & { printUrl?: boolean }) => {
      const ctx = await openEngine(globals(), io);
      const { access, tunnels } = wireWorkspaceAccess({ engine: ctx.engine, gateway: ctx.gateway, settings: ctx.settings, firewall: ctx.firewall, ...(ctx.sandboxEndpoint ? { sandboxEndpoint: ctx.sandboxEndpoint } : {}) });
      tunnels.events.subscribe((event) => {
        if (!ctx.json && event.state !== 'up' && event.state !== 'closed') io.stderr.write(`tunnel to ${event.workspace}: ${event.state}${event.message ? ` (${event.message})` : ''}\n`);
      });
      try {
        const workspace = ctx.engine.get(name, options.region);
        if (workspace.accessMode === 'direct') {
          throw new PortholeError('usage', `Workspace "${name}" uses direct HTTPS access, which the browser reaches without a tunnel.`, {
            fix: `Open it in the Porthole app (it pins the certificate), or browse to https://${workspace.publicIp ?? 'its address'}:8443 and check the certificate fingerprint Porthole stored.`,
          });
        }
        const session = await access.open({ name, region: workspace.region });
        const front = await startLoginFront(session);
        if (options.printUrl) {
          io.stdout.write(ctx.json ? `${JSON.stringify({ url: front.loginUrl, workspace: name })}\n` : `${front.loginUrl}\n`);
        } else {
          const opened = await openInSystemBrowser(front.loginUrl).then(
            () => true,
            (error: Error) => {
              // No browser here (a server, a first run with no desktop): the one-time link is the way in.
              io.stderr.write(`${error.message}\nOpen this one-time link in a browser on this computer:\n`);
              io.stdout.write(ctx.json ? `${JSON.stringify({ url: front.loginUrl, workspace: name })}\n` : `${front.loginUrl}\n`);
              return false;
            },
          );
          if (opened && ctx.json) io.stdout.write(`${JSON.stringify({ opened: name, origin: front.origin })}\n`);
        }
        if (!ctx.json) io.stderr.write(`Workspace "${name}" is open at ${front.origin} through its SSH tunnel. The link works once. Press Ctrl-C to close the tunnel.\n`);
        await interrupted();
        await front.close();
        await session.release();
      } finally {
        await access.closeAll();
        await ctx.close();
      }
    });

  program
    .command('ssh <name> [command...]')
    .description('open a shell on the workspace (or run a command) with a fresh Lightsail certificate')
    .addOption(region())
    .action((name: string, command: string[], options: RegionOption) =>
      withContext(globals(), io, async (ctx) => {
        const target = readyTarget(ctx, name, options.region);
        const deps = { gateway: ctx.gateway, resolver: endpointResolver(ctx.sandboxEndpoint), firewall: ctx.firewall };
        const { details, point } = await freshAccess(deps, target);
        const files = await writeSshLoginFiles(details, hostAlias(target));
        try {
          const code = await new Promise<{ code: number; stderr: string }>((resolve) => {
            const child = spawn('ssh', [...sshLoginOptions(files, point, details.username), ...(command.length > 0 ? ['--', ...command] : [])], { stdio: ['inherit', 'inherit', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => {
              stderr = (stderr + chunk.toString()).slice(-16_384);
              io.stderr.write(chunk);
            });
            child.once('error', (error) => resolve({ code: 255, stderr: error.message }));
            child.once('close', (exit) => resolve({ code: exit ?? 255, stderr }));
          });
          // 255 is ssh's own failure; anything else is the remote command's exit status.
          if (code.code === 255) throw sshFailure(name, code.stderr, details, new Date());
          setExitCode(code.code);
        } finally {
          await files.remove();
        }
      }),
    );

  program
    .command('ssh-config')
    .description('let plain ssh and VS Code Remote-SSH reach every workspace as porthole-NAME, with a fresh certificate each time')
    .action(() =>
      withContext(globals(), io, async (ctx) => {
        const sandbox = ctx.sandboxEndpoint !== undefined;
        const written = await writeSshConfig({
          home: process.env.HOME ?? homedir(),
          workspaces: ctx.engine.list(),
          command: selfCommand().command,
          ...(sandbox ? { userOverride: userInfo().username } : {}),
        });
        const { configPath, mainConfig, hosts, includeAdded } = written;
        if (ctx.json) return void io.stdout.write(`${JSON.stringify({ config: configPath, hosts, includeAdded })}\n`);
        io.stdout.write(
          `${configPath}: ${hosts.length} workspace${hosts.length === 1 ? '' : 's'}${hosts.length ? ` (${hosts.join(', ')})` : ''}.\n` +
            `${includeAdded ? `Added an Include line to ${mainConfig}.` : `${mainConfig} already includes it.`} Connect with "ssh ${hosts[0] ?? 'porthole-NAME'}".\n`,
        );
      }),
    );

  program
    .command('ssh-proxy <name>', { hidden: true })
    .description('used by ssh: --prepare fetches a fresh certificate for the entry; without it, connects ssh to the instance')
    .option('--prepare', 'write a fresh key, certificate and known_hosts for the workspace')
    .addOption(region())
    .action((name: string, options: RegionOption & { prepare?: boolean }) =>
      withContext({ ...globals(), json: true }, io, async (ctx) => {
        const target = readyTarget(ctx, name, options.region);
        const resolver = endpointResolver(ctx.sandboxEndpoint);
        if (options.prepare) {
          const { details } = await freshAccess({ gateway: ctx.gateway, resolver, firewall: ctx.firewall }, target);
          const dir = join(portholeSshDir(process.env.HOME ?? homedir()), `${target.region}-${target.workspace}`);
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const files = await writeSshLoginFiles(details, hostAlias(target));
          try {
            for (const file of ['key', 'key-cert.pub', 'known_hosts']) await writeFile(join(dir, file), await readFile(join(files.dir, file)), { mode: 0o600 });
          } finally {
            await files.remove();
          }
          return;
        }
        const point = await resolver.resolve(target.region, target.instance ?? target.workspace, ctx.engine.get(name, options.region).publicIp);
        await relayStdio(point.ssh.host, point.ssh.port);
      }),
    );
}

/**
 * `porthole password NAME --reset`: a new random password, its argon2 hash
 * written to the instance over SSH and code-server restarted, then the
 * password into the keychain (only after the instance took it, so a failure
 * leaves the old one working). For workspaces found in the cloud with no
 * keychain entry.
 */
export async function resetPassword(ctx: CliContext, io: CliIo, name: string, region: string | undefined): Promise<void> {
  const target = readyTarget(ctx, name, region);
  if (ctx.sandboxEndpoint !== undefined) {
    throw new PortholeError('usage', `Sandbox workspaces run code-server from their launch script and cannot change its password while they live.`, {
      fix: `Delete "${name}" and create it again; its new password goes into the keychain.`,
    });
  }
  const password = generatePassword();
  await setInstancePassword({ gateway: ctx.gateway, resolver: endpointResolver(undefined), firewall: ctx.firewall }, target, await hashPassword(password));
  await new KeychainPasswords(new KeytarSecretStore()).set({ account: ctx.engine.account, region: target.region, name }, password);
  await ctx.engine.refresh();
  if (ctx.json) return void io.stdout.write(`${JSON.stringify({ reset: name, region: target.region })}\n`);
  io.stdout.write(`Workspace "${name}" has a new password, in the keychain: "porthole password ${name} --copy" copies it.\n`);
}

export function readyTarget(ctx: CliContext, name: string, region: string | undefined): TunnelTarget {
  const workspace: Workspace = ctx.engine.get(name, region);
  if (workspace.state !== 'ready') {
    throw new PortholeError('wrong-state', `Workspace "${name}" is ${workspace.state}; SSH needs it ready.`, {
      fix: workspace.state === 'stopped' ? `Start it with "porthole start ${name}".` : workspace.state === 'hibernated' ? `Resume it with "porthole resume ${name}".` : 'Wait until it is ready.',
    });
  }
  return tunnelTargetOf(workspace);
}

function relayStdio(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      process.stdin.pipe(socket);
      socket.pipe(process.stdout);
    });
    socket.once('error', (error) =>
      reject(new PortholeError('network', `Could not connect to the SSH port of the workspace at ${host}:${port}: ${error.message}`, { fix: 'Check that it is ready and that your IP is allowed, then try again.' })),
    );
    socket.once('close', () => resolve());
  });
}

