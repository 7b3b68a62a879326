import type { Command } from 'commander';
import { Option } from 'commander';
import { instanceStatusReader } from '../../core/access/instance-status-reader.js';
import { sandboxEndpointResolver, awsEndpointResolver } from '../../core/access/ssh-endpoint-resolver.js';
import { wireWorkspaceAccess } from '../../core/access/workspace-access-wiring.js';
import { PortholeError } from '../../core/errors.js';
import { formatAutoForward, parseAutoForward, parseForwardSpec, parsePort } from '../../core/ports/forward-plan.js';
import { PortForwarder, type PortsChangedEvent } from '../../core/ports/port-forwarder.js';
import { LiveForwardsFile, PortPreferencesStore, type LiveForwards } from '../../core/ports/port-preferences-store.js';
import { portViews } from '../../core/ports/workspace-ports.js';
import type { ForwardedPort, WorkspacePortView } from '../../shared/ports.js';
import type { CliIo } from '../cli-io.js';
import { openEngine, withContext, type CliContext, type GlobalOptions } from '../context.js';
import { readyTarget } from './access-commands.js';
import { interrupted } from '../interrupted.js';

interface RegionOption {
  region?: string;
}

const BACKGROUND_WAIT_MS = 30_000;

/** `porthole ports`, `forward` and `unforward`: a workspace's dev servers on localhost, over its SSH connection. */
export function registerPortCommands(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  const region = () => new Option('--region <region>', 'the region, when the name is used in several');

  program
    .command('ports <name>')
    .description("list the TCP ports a workspace listens on and where each is forwarded here; --auto sets the workspace's auto-forward range")
    .option('--auto <range>', 'forward listening ports in this range by themselves (FROM-TO, one port, or off; 3000-9999 by default)')
    .addOption(region())
    .action((name: string, options: RegionOption & { auto?: string }) =>
      withContext(globals(), io, async (ctx) => {
        const auto = options.auto === undefined ? undefined : parseAutoForward(options.auto);
        const target = readyTarget(ctx, name, options.region);
        const ref = { account: ctx.engine.account, region: target.region, name };
        const store = new PortPreferencesStore(ctx.dataDir);
        const preferences = auto === undefined ? await store.get(ref) : await store.update(ref, (p) => ({ ...p, autoForward: auto }));
        const resolver = ctx.sandboxEndpoint ? sandboxEndpointResolver(ctx.sandboxEndpoint, 'ssh') : awsEndpointResolver;
        const status = await instanceStatusReader({ gateway: ctx.gateway, resolver }).read({ region: target.region, name });
        const live = await new LiveForwardsFile(ctx.dataDir, ctx.engine.account).read();
        const held = live?.workspaces[LiveForwardsFile.key(target.region, name)];
        const lines = portViews({ ports: status.ports ?? [] }, held?.forwards ?? []);
        const autoForward = formatAutoForward(preferences.autoForward);
        const declared = ctx.engine.get(name, target.region).declaredPorts ?? [];
        if (ctx.json) {
          io.stdout.write(`${JSON.stringify({ workspace: name, region: target.region, autoForward, declared, forwarding: live !== undefined, ports: lines, ...(held?.problem ? { problem: held.problem } : {}) })}\n`);
          return;
        }
        io.stdout.write(portTable(lines));
        const always = declared.length > 0 ? ` Declared (forwarded whenever they listen): ${declared.join(', ')}.` : '';
        io.stdout.write(`\nAuto-forward: ${autoForward}.${always} ${live ? 'The Porthole app forwards these ports.' : 'Nothing is forwarded now: open the app or "porthole ui", or run "porthole forward NAME PORT".'}\n`);
        if (held?.problem) io.stderr.write(`porthole: forwarding for ${name} does not work right now: ${held.problem}\n`);
      }),
    );

  program
    .command('forward <name> <port>')
    .description('forward a workspace port to 127.0.0.1 here (PORT or PORT:LOCAL_PORT) until Ctrl-C, or in the running app with --background')
    .option('--background', "hand the forward to the running app or porthole ui, which keeps it (and restores it after a reconnect)")
    .addOption(region())
    .action(async (name: string, spec: string, options: RegionOption & { background?: boolean }) => {
      const wanted = parseForwardSpec(spec);
      if (options.background) return withContext(globals(), io, (ctx) => forwardInBackground(ctx, io, name, options.region, wanted));
      return forwardUntilInterrupted(globals(), io, name, options.region, wanted);
    });

  program
    .command('unforward <name> <port>')
    .description('stop forwarding a workspace port, in the running app too; it stays off until the workspace stops or the app ends, or until forwarded again')
    .addOption(region())
    .action((name: string, portText: string, options: RegionOption) =>
      withContext(globals(), io, async (ctx) => {
        const port = parsePort(portText);
        const workspace = ctx.engine.get(name, options.region);
        const ref = { account: ctx.engine.account, region: workspace.region, name };
        const live = new LiveForwardsFile(ctx.dataDir, ctx.engine.account);
        const holder = await live.read();
        // The stop is the holder's session's: without a holder nothing forwards it, and only a manual forward is left to drop.
        await new PortPreferencesStore(ctx.dataDir, holder?.session).update(ref, (p) => ({
          ...p,
          manual: p.manual.filter((m) => m.port !== port),
          stopped: p.stopped.includes(port) ? p.stopped : [...p.stopped, port],
        }));
        const stopped = holder ? await waitForLive(live, workspace.region, name, (forwards) => (forwards.some((f) => f.port === port) ? undefined : true)) : true;
        if (!stopped) throw new PortholeError('timeout', `The app still forwards port ${port} of ${name}.`, { fix: 'Look at the Ports panel of the dashboard, or try again.' });
        if (ctx.json) return void io.stdout.write(`${JSON.stringify({ workspace: name, port, forwarded: false })}\n`);
        io.stdout.write(`Port ${port} of ${name} is not forwarded; it stays so until the workspace stops or the app ends. "porthole forward ${name} ${port}" forwards it again.\n`);
      }),
    );
}

function portTable(lines: readonly WorkspacePortView[]): string {
  if (lines.length === 0) return 'The workspace listens on no port of its own (code-server and sshd are not counted).\n';
  const rows = [['PORT', 'PROCESS', 'LOCAL ADDRESS', 'FORWARDED'], ...lines.map((l) => [String(l.port), l.process ?? '-', l.localAddress ?? '-', l.origin ?? (l.listening ? 'no' : '-')])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** What the user reads once a forward is up; it names the other local port when the same one was taken. */
export function forwardedLine(name: string, forward: ForwardedPort): string {
  const moved = forward.localPort !== forward.port ? ` (local port ${forward.port} is taken, so it is on ${forward.localPort})` : '';
  return `Port ${forward.port} of ${name} is forwarded to http://127.0.0.1:${forward.localPort}${moved}.`;
}

async function forwardUntilInterrupted(globals: GlobalOptions, io: CliIo, name: string, regionName: string | undefined, wanted: { port: number; localPort?: number }): Promise<void> {
  const ctx = await openEngine(globals, io);
  const { tunnels } = wireWorkspaceAccess({ engine: ctx.engine, gateway: ctx.gateway, settings: ctx.settings, firewall: ctx.firewall, ...(ctx.sandboxEndpoint ? { sandboxEndpoint: ctx.sandboxEndpoint } : {}) });
  let latest: PortsChangedEvent | undefined;
  const forwarder = new PortForwarder({
    tunnels,
    preferences: async () => ({ autoForward: null, manual: [wanted], stopped: [] }),
    onChange: (event) => {
      latest = event;
      if (!ctx.json && event.problem) io.stderr.write(`porthole: forwarding for ${name} stopped: ${event.problem}\n`);
    },
  });
  tunnels.events.subscribe((event) => {
    if (!ctx.json && (event.state === 'reconnecting' || (event.state === 'up' && event.attempt !== undefined))) io.stderr.write(`tunnel to ${event.workspace}: ${event.state}\n`);
  });
  try {
    const target = readyTarget(ctx, name, regionName);
    await forwarder.update(ctx.engine.get(target.workspace, target.region));
    const forward = forwarder.forwards({ region: target.region, name }).find((f) => f.port === wanted.port);
    if (!forward) throw new PortholeError('network', `Port ${wanted.port} of ${name} could not be forwarded: ${latest?.problem ?? 'the tunnel did not come up'}`, { fix: 'Check that the workspace is ready ("porthole status"), then try again.' });
    io.stdout.write(ctx.json ? `${JSON.stringify({ workspace: name, ...forward, localAddress: `http://127.0.0.1:${forward.localPort}` })}\n` : `${forwardedLine(name, forward)} Press Ctrl-C to stop.\n`);
    await interrupted();
  } finally {
    await forwarder.close();
    await tunnels.closeAll();
    await ctx.close();
  }
}

async function forwardInBackground(ctx: CliContext, io: CliIo, name: string, regionName: string | undefined, wanted: { port: number; localPort?: number }): Promise<void> {
  const target = readyTarget(ctx, name, regionName);
  const live = new LiveForwardsFile(ctx.dataDir, ctx.engine.account);
  const holder = await live.read();
  if (!holder) {
    throw new PortholeError('wrong-state', `No Porthole app or "porthole ui" is running for account ${ctx.engine.account}, so nothing would keep the forward.`, {
      fix: `Start the app or "porthole ui", or forward until Ctrl-C with "porthole forward ${name} ${wanted.port}${wanted.localPort ? `:${wanted.localPort}` : ''}".`,
    });
  }
  const ref = { account: ctx.engine.account, region: target.region, name };
  await new PortPreferencesStore(ctx.dataDir, holder.session).update(ref, (p) => ({
    ...p,
    manual: [...p.manual.filter((m) => m.port !== wanted.port), wanted],
    stopped: p.stopped.filter((port) => port !== wanted.port),
  }));
  const forward = await waitForLive(live, target.region, name, (forwards) => forwards.find((f) => f.port === wanted.port && f.origin === 'manual'));
  if (!forward) {
    const problem = (await live.read())?.workspaces[LiveForwardsFile.key(target.region, name)]?.problem;
    throw new PortholeError('timeout', `The app has not forwarded port ${wanted.port} of ${name} within ${BACKGROUND_WAIT_MS / 1000} s${problem ? `: ${problem}` : '.'}`, {
      fix: 'It keeps the request and tries again; look at the Ports panel of the dashboard.',
    });
  }
  io.stdout.write(ctx.json ? `${JSON.stringify({ workspace: name, ...forward, localAddress: `http://127.0.0.1:${forward.localPort}`, background: true })}\n` : `${forwardedLine(name, forward)} The app keeps it; "porthole unforward ${name} ${forward.port}" stops it.\n`);
}

/** Waits until the holder's published forwards of the workspace satisfy `found`. */
async function waitForLive<T>(live: LiveForwardsFile, regionName: string, name: string, found: (forwards: ForwardedPort[]) => T | undefined): Promise<T | undefined> {
  const deadline = Date.now() + BACKGROUND_WAIT_MS;
  while (Date.now() < deadline) {
    const current: LiveForwards | undefined = await live.read();
    const result = found(current?.workspaces[LiveForwardsFile.key(regionName, name)]?.forwards ?? []);
    if (result !== undefined) return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
