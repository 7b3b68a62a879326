import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  checkAwsProfiles,
  checkClock,
  checkCodeServerVersion,
  checkKeychain,
  checkSshVersion,
  endpointDate,
  sshVersionOutput,
  type DesktopCheck,
} from '../../core/app/desktop-checks.js';
import { KeytarSecretStore } from '../../core/secrets/keytar-secret-store.js';
import type { AccountSettings } from '../../core/settings/settings-schema.js';
import { SettingsStore } from '../../core/settings/settings-store.js';
import { EveryAccountLeaks, type SweepResult } from '../../core/workspaces/every-account-leaks.js';
import type { Leak } from '../../core/workspaces/leak-sweep.js';
import { CODE_SERVER_VERSION, checkCodeServer, codeServerSearchDirs, findCodeServer } from '../../emulator/runtime/code-server-install.js';
import { printJson, type CliIo } from '../cli-io.js';
import { confirmDestructive } from '../confirm.js';
import { defaultDataDir, type GlobalOptions } from '../context.js';
import { table, usd } from '../format.js';
import { parseDuration } from '../option-parsers.js';
import { connectSandbox } from '../sandbox-account.js';

interface DoctorOptions {
  sweep?: boolean;
  olderThan: number;
  yes?: boolean;
}

const DEFAULT_OLDER_THAN = '1h';

/**
 * `porthole doctor`: the desktop checklist (keychain, ssh, code-server,
 * clock, AWS profiles) and the leaks of every enabled account, with what
 * they cost; `--sweep` removes the leaks. Exits 1 when anything is wrong.
 */
export function registerDoctorCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('doctor')
    .description('check this computer and list what Porthole left behind in the cloud (tagged resources no workspace accounts for, interrupted operations)')
    .option('--sweep', 'remove the leaks (asks first)')
    .option('--older-than <age>', 'only leaks at least this old, e.g. 30m, 1h, 2d; 0 for all (a create in flight is not a leak)', parseDuration, parseDuration(DEFAULT_OLDER_THAN))
    .option('-y, --yes', 'do not ask before sweeping')
    .action(async (options: DoctorOptions) => {
      const globals = program.opts<GlobalOptions>();
      const dataDir = globals.dataDir ?? defaultDataDir();
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      const settings = new SettingsStore(dataDir);
      const secrets = new KeytarSecretStore();
      let sandboxEndpoint: string | undefined;
      const sweep = await EveryAccountLeaks.open({
        dataDir,
        settings,
        secrets,
        olderThanMs: options.olderThan,
        connectSandbox: async () => {
          const sandbox = await connectSandbox(dataDir);
          sandboxEndpoint = sandbox.endpoint;
          return sandbox;
        },
      });
      try {
        const enabled = settings.get().accounts.filter((a) => a.enabled !== false);
        const checks = await desktopChecks(dataDir, secrets, enabled, sandboxEndpoint);
        const found = sweep.leaks;
        let swept: SweepResult[] | undefined;
        if (!globals.json) printReport(io, checks, sweep, options.olderThan);
        const removable = found.filter((l) => l.sweep !== 'leave');
        if (options.sweep && removable.length > 0) {
          await confirmDestructive(io, `Remove ${plural(removable.length, 'leak')} (${usd(totalUsd(removable))}/month) listed above?`, options.yes === true);
          swept = await sweep.sweep(removable, (result) => {
            if (!globals.json) io.stderr.write(`${result.error ? `could not remove ${describe(result.leak)}: ${result.error}` : `removed ${describe(result.leak)}`}\n`);
          });
          await sweep.list();
        }
        const remaining = sweep.leaks;
        const ok = checks.every((c) => c.status !== 'fail') && remaining.length === 0 && sweep.accounts.every((a) => a.listed);
        if (globals.json) {
          printJson(io, {
            ok,
            checks,
            accounts: sweep.accounts,
            leaks: found,
            monthlyUsd: totalUsd(found),
            madeElsewhere: sweep.elsewhere,
            ...(swept ? { swept: swept.map((r) => ({ ...r.leak, ...(r.error ? { error: r.error } : {}) })), remaining } : {}),
          });
        } else if (swept) {
          io.stdout.write(remaining.length === 0 ? 'Swept: nothing is left over.\n' : `${plural(remaining.length, 'leak')} remain${remaining.length === 1 ? 's' : ''}; see above for why.\n`);
        }
        if (!ok) setExitCode(1);
      } finally {
        await sweep.close();
      }
    });
}

async function desktopChecks(dataDir: string, secrets: KeytarSecretStore, accounts: readonly AccountSettings[], sandboxEndpoint: string | undefined): Promise<DesktopCheck[]> {
  const profiles = accounts.flatMap((a) => (a.kind === 'aws-profile' ? [a.profile] : []));
  const clockSource = clockEndpoint(accounts, sandboxEndpoint);
  return [
    await checkKeychain(secrets),
    checkSshVersion(sshVersionOutput()),
    checkCodeServerVersion({ bin: findCodeServer(codeServerSearchDirs(dataDir)), pinned: CODE_SERVER_VERSION, versionLine: versionInScratchHome }),
    checkClock(clockSource ? await endpointDate(clockSource.url) : undefined, Date.now(), clockSource?.name ?? 'any Lightsail endpoint'),
    await checkAwsProfiles(profiles),
  ];
}

/** code-server's version line, run with a throwaway HOME so the check writes nothing into the user's. */
function versionInScratchHome(bin: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'porthole-doctor-'));
  try {
    return checkCodeServer(bin, join(scratch, 'home'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The clock is compared with AWS's when an AWS account is in use (that is whose certificates count), else with lightsail-local's. */
function clockEndpoint(accounts: readonly AccountSettings[], sandboxEndpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; name: string } | undefined {
  const aws = accounts.find((a) => a.kind === 'aws-profile');
  if (aws) {
    const overridden = env.AWS_ENDPOINT_URL_LIGHTSAIL ?? env.AWS_ENDPOINT_URL;
    const region = aws.regions[0] ?? 'us-east-1';
    return overridden ? { url: overridden, name: overridden } : { url: `https://lightsail.${region}.amazonaws.com/`, name: `Lightsail in ${region}` };
  }
  return sandboxEndpoint ? { url: `${sandboxEndpoint}/_emulator/health`, name: 'lightsail-local' } : undefined;
}

const MARK: Record<DesktopCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗' };

function printReport(io: CliIo, checks: readonly DesktopCheck[], sweep: EveryAccountLeaks, olderThanMs: number): void {
  const width = Math.max(...checks.map((c) => c.name.length));
  io.stdout.write('This computer\n');
  for (const check of checks) {
    io.stdout.write(`  ${MARK[check.status]} ${check.name.padEnd(width)}  ${check.detail}\n`);
    if (check.fix && check.status !== 'ok') io.stdout.write(`    ${' '.repeat(width)}  fix: ${check.fix}\n`);
  }
  io.stdout.write('\nLeft behind in the cloud\n');
  for (const account of sweep.accounts) {
    if (!account.listed) io.stdout.write(`  ✗ account ${account.name} could not be listed: ${account.message}${account.fix ? `\n    fix: ${account.fix}` : ''}\n`);
  }
  const leaks = sweep.leaks;
  const listed = sweep.accounts.filter((a) => a.listed).map((a) => `${a.name} (${a.listed ? a.regions.join(', ') : ''})`);
  if (leaks.length === 0) {
    io.stdout.write(`  ✓ nothing in ${listed.join(', ') || 'no account'}\n`);
  } else {
    const rows = leaks.map((l) => [l.kind, l.account, l.region, l.name, usd(l.monthlyUsd), l.sweep, l.reason + (l.fix ? ` (${l.fix})` : '')]);
    io.stdout.write(`${indent(table(['KIND', 'ACCOUNT', 'REGION', 'NAME', 'PER MONTH', 'SWEEP', 'WHY'], rows))}\n`);
    io.stdout.write(`  ${plural(leaks.length, 'leak')} cost ${usd(totalUsd(leaks))}/month; "porthole doctor --sweep" removes them (untagged resources are never touched).\n`);
  }
  const younger = sweep.accounts.reduce((sum, a) => sum + (a.listed ? a.younger : 0), 0);
  if (younger > 0) io.stdout.write(`  ${plural(younger, 'more')} younger than ${formatAge(olderThanMs)} not shown: it may still be in the making (--older-than 0 shows ${younger === 1 ? 'it' : 'them'}).\n`);
  if (sweep.elsewhere.length > 0) {
    io.stdout.write('\nMade by Porthole on another computer (not leaks: never swept)\n');
    const rows = sweep.elsewhere.map((w) => [w.name, w.account, w.region, usd(w.monthlyUsd), w.resources.join(', ')]);
    io.stdout.write(`${indent(table(['WORKSPACE', 'ACCOUNT', 'REGION', 'PER MONTH', 'HOLDS'], rows))}\n`);
    io.stdout.write(`  This computer has no record of ${sweep.elsewhere.length === 1 ? 'it' : 'them'}; "porthole ls" shows ${sweep.elsewhere.length === 1 ? 'it' : 'them'}. If one is no longer used anywhere, "porthole delete NAME" removes it.\n`);
  }
}

function describe(leak: Leak): string {
  return leak.kind === 'operation' ? `the interrupted ${leak.operation?.kind} of "${leak.name}" (${leak.account}, ${leak.region})` : `${leak.kind} ${leak.name} (${leak.account}, ${leak.region})`;
}

function totalUsd(leaks: readonly Leak[]): number {
  return Math.round(leaks.reduce((sum, l) => sum + l.monthlyUsd, 0) * 100) / 100;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 || noun === 'more' ? '' : 's'}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function formatAge(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
