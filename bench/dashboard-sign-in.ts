/**
 * Signing in again from the dashboard: once an IAM Identity Center sign-in
 * has expired and been renewed, how long until the workspaces are listed
 * again and how many Lightsail calls that takes, when the paused account
 * resumes in place (Refresh, or the dashboard's own Sign in) against the
 * baseline of restarting (closing the dashboard service and opening it
 * again, which is what a user had to do before). 100 stopped workspaces on
 * lightsail-local, its identity server signing in.
 *
 *   npx tsx bench/dashboard-sign-in.ts
 */
import { CreateInstancesCommand, LightsailClient, StopInstanceCommand } from '@aws-sdk/client-lightsail';
import { fromIni } from '@aws-sdk/credential-providers';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardService } from '../src/core/app/dashboard-service.js';
import { ssoLogin } from '../src/core/credentials/sso-login.js';
import { SANDBOX_ACCOUNT } from '../src/core/settings/settings-schema.js';
import { SettingsStore } from '../src/core/settings/settings-store.js';
import { startEmulator } from '../src/emulator/index.js';
import { identityEndpointEnv, SSO_WORK_PROFILE } from '../test/support/sso-profile.js';
import { startCountingProxy } from './support/counting-proxy.js';
import { MemorySecretStore } from './support/memory-secret-store.js';
import { median, ms, percentile, report } from './support/stats.js';

const WORKSPACES = 100;
const ROUNDS = 9;

const emulator = await startEmulator({ seed: 3, timeScale: 100, identity: { intervalSeconds: 1, roleCredentialSeconds: 60 } });
const proxy = await startCountingProxy(emulator.endpoint);
const home = await mkdtemp(join(tmpdir(), 'porthole-bench-sign-in-'));
await writeFile(join(home, 'config'), [...SSO_WORK_PROFILE, ''].join('\n'));
Object.assign(process.env, {
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  ...identityEndpointEnv(emulator.identityEndpoint),
  AWS_ENDPOINT_URL_LIGHTSAIL: proxy.endpoint,
});

/** What `porthole login` does, with the person approving at once. */
const signIn = () =>
  ssoLogin({
    profile: 'work',
    openUrl: async ({ userCode }) => void (await fetch(`${emulator.identityEndpoint}/_emulator/sso/approve`, { method: 'POST', body: JSON.stringify({ userCode }) })),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100))),
  });
await signIn();

const seeding = new LightsailClient({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: fromIni({ profile: 'work' }) });
for (let i = 0; i < WORKSPACES; i++) {
  const name = `ws-${String(i).padStart(3, '0')}`;
  await seeding.send(
    new CreateInstancesCommand({
      instanceNames: [name],
      availabilityZone: 'us-east-1a',
      blueprintId: 'ubuntu_24_04',
      bundleId: 'small_3_0',
      tags: [
        { key: 'porthole:managed', value: 'true' },
        { key: 'porthole:workspace', value: name },
      ],
    }),
  );
}
emulator.advance(10 * 60_000);
for (let i = 0; i < WORKSPACES; i++) await seeding.send(new StopInstanceCommand({ instanceName: `ws-${String(i).padStart(3, '0')}` }));
emulator.advance(10 * 60_000);
seeding.destroy();

const dataDir = join(home, 'porthole');
const settings = new SettingsStore(dataDir);
settings.set('accounts', [
  { name: SANDBOX_ACCOUNT, kind: 'sandbox', regions: ['us-east-1'] },
  { name: 'work', kind: 'aws-profile', profile: 'work', regions: ['us-east-1'] },
]);
settings.set('activeAccount', 'work');
const secrets = new MemorySecretStore();
const open = () =>
  DashboardService.open({
    dataDir,
    settings,
    secrets,
    connectSandbox: async () => {
      throw new Error('the bench uses the work account only');
    },
    copyToClipboard: async () => {},
    openExternal: async () => {},
  });

let service = await open();
if ((await service.handlers.listWorkspaces()).length !== WORKSPACES) throw new Error('the dashboard does not list every workspace');

/** Expires the sign-in and lets the dashboard find out, as its poller would; then signs in again as porthole login does. */
async function expireAndSignIn(): Promise<void> {
  const expired = new Promise<void>((resolve) => {
    const off = service.events.subscribe((event, payload) => {
      if (event === 'accountHealth' && (payload as { health: string }).health === 'expired') {
        off();
        resolve();
      }
    });
  });
  await fetch(`${emulator.identityEndpoint}/_emulator/sso/expire`, { method: 'POST' });
  await service.handlers.refreshWorkspaces();
  await expired;
  await signIn();
}

const resumed: number[] = [];
const restarted: number[] = [];
let resumeCalls = 0;
let restartCalls = 0;
for (let round = 0; round < ROUNDS; round++) {
  await expireAndSignIn();
  proxy.reset();
  let started = performance.now();
  const back = new Promise<void>((resolve) => {
    const off = service.events.subscribe((event, payload) => {
      if (event === 'accountHealth' && (payload as { health: string }).health === 'ok') {
        off();
        resolve();
      }
    });
  });
  const listed = await service.handlers.refreshWorkspaces();
  await back;
  resumed.push(performance.now() - started);
  resumeCalls = proxy.total();
  if (listed.length !== WORKSPACES) throw new Error(`resumed with ${listed.length} workspaces`);

  await expireAndSignIn();
  proxy.reset();
  started = performance.now();
  await service.close();
  service = await open();
  const reopened = await service.handlers.listWorkspaces();
  restarted.push(performance.now() - started);
  restartCalls = proxy.total();
  if (reopened.length !== WORKSPACES) throw new Error(`restarted with ${reopened.length} workspaces`);
}

report(`Workspaces back after signing in again (${WORKSPACES} workspaces, ${ROUNDS} rounds each)`, {
  'restart the dashboard, median (baseline)': ms(median(restarted)),
  'restart the dashboard, p90': ms(percentile(restarted, 90)),
  'resume in place, median': ms(median(resumed)),
  'resume in place, p90': ms(percentile(resumed, 90)),
  'ratio (resume / restart, medians)': (median(resumed) / median(restarted)).toFixed(3),
  'Lightsail calls, restart (baseline)': restartCalls,
  'Lightsail calls, resume in place': resumeCalls,
});

await service.close();
await proxy.close();
await emulator.close();
await rm(home, { recursive: true, force: true });
