import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { until } from '../support/code-server-bin.js';
import { porthole, startSandboxEmulator } from '../support/porthole-cli.js';
import { SSO_WORK_PROFILE } from '../support/sso-profile.js';

// Real CLI runs against a real sshd, and the real AWS CLI on the box (Python, about a second a call).
vi.setConfig({ testTimeout: 120_000 });

const NAME = 'awsbox';
const ROLE_ARN = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer/porthole';

/**
 * The AWS CLI on a Sandbox workspace signs in for itself: `porthole create
 * --aws-profile` gives it config only, `porthole aws-login` runs its device
 * sign-in with the approval in this computer's "browser", and the token
 * stays on the box: not on the desktop's disk, in a log, or on an ssh
 * command line.
 */
describe('AWS on the box through IAM Identity Center, on the Sandbox account', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let emulator: { endpoint: string; stop(): Promise<void> };
  const sshArgv = () => join(home, 'ssh-argv.log');

  /** The AWS CLI as the workspace user, in that user's home on the box, with the system's PATH. */
  const awsOnBox = (args: string) => porthole(['ssh', NAME, '--', 'sh', '-c', `'HOME="$PORTHOLE_WORKSPACE_HOME" PATH=/usr/local/bin:/usr/bin:/bin aws ${args}'`], env);
  const awsStatus = async () => {
    const run = await porthole(['--json', 'status', NAME], env);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { aws?: unknown };
  };
  const onBox = async (script: string) => {
    const run = await porthole(['ssh', NAME, '--', 'sh', '-c', `'${script.replaceAll("'", `'\\''`)}'`], env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };

  beforeAll(async () => {
    const { codeServerBin } = await import('../support/code-server-bin.js');
    codeServerBin();
    home = await mkdtemp(join(tmpdir(), 'porthole-aws-box-'));
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(join(home, '.aws', 'config'), `${SSO_WORK_PROFILE.join('\n')}\n`);
    // Every ssh Porthole runs goes through this wrapper, which writes down its arguments and runs the real one.
    const shims = join(home, 'shims');
    await mkdir(shims);
    const realSsh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
    await writeFile(join(shims, 'ssh'), `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg"; done >>'${sshArgv()}'\necho '--- end of ssh' >>'${sshArgv()}'\nexec '${realSsh}' "$@"\n`);
    await chmod(join(shims, 'ssh'), 0o755);
    // The person at the desktop: the browser gets the link with the code in it, and they approve it on the sign-in page.
    const browser = join(home, 'browser.sh');
    await writeFile(
      browser,
      `#!/bin/sh\nprintf '%s\\n' "$1" >>"$HOME/opened"\ncode=$(printf '%s' "$1" | sed 's/.*user_code=//')\nbase=$(printf '%s' "$1" | sed 's#/start/.*##')\ncurl -s -X POST -d "{\\"userCode\\":\\"$code\\"}" "$base/_emulator/sso/approve" >>"$HOME/approved"\n`,
    );
    await chmod(browser, 0o755);
    env = {
      HOME: home,
      PORTHOLE_HOME: join(home, 'porthole'),
      TMPDIR: await mkdtemp(join(home, 'tmp-')),
      BROWSER: browser,
      PATH: `${shims}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    };
    emulator = await startSandboxEmulator(env, 20);
    const create = await porthole(['create', NAME, '--aws-profile', 'work'], env);
    expect(create.code, create.stderr).toBe(0);
    await until(`${NAME} to run`, async () => ((await fetch(`${emulator.endpoint}/_emulator/instances/us-east-1/${NAME}/endpoints`)).ok ? true : undefined), 60_000);
  }, 120_000);

  afterAll(async () => {
    await porthole(['delete', NAME, '--yes'], env);
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('the box holds the chosen profile as config only, and its AWS CLI is refused before the sign-in', async () => {
    const config = await onBox('cat "$PORTHOLE_WORKSPACE_HOME/.aws/config"; test ! -e "$PORTHOLE_WORKSPACE_HOME/.aws/credentials" && echo no-credentials-file');
    expect(config).toContain('[sso-session porthole]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n');
    expect(config).toContain('[profile work]\nsso_session = porthole\nsso_account_id = 111122223333\nsso_role_name = Developer\nregion = us-east-1\n');
    expect(config).toContain('no-credentials-file');
    expect(config).not.toMatch(/aws_access_key_id|aws_secret_access_key|aws_session_token|accessToken/);
    const refused = await awsOnBox('sts get-caller-identity --profile work');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Token for porthole does not exist|sso login/i);
    expect((await awsStatus()).aws).toEqual({ profiles: ['work'], signIn: 'signed-out' });
  });

  it('porthole aws-login shows the code, opens the browser, and the box then answers as the role', async () => {
    const run = await porthole(['--json', 'aws-login', NAME], env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const [prompt, done] = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(prompt).toMatchObject({ workspace: NAME, profile: 'work', userCode: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/) });
    expect(prompt!.verificationUriComplete).toBe(`${String(prompt!.verificationUri)}?user_code=${String(prompt!.userCode)}`);
    expect(done).toMatchObject({ workspace: NAME, profile: 'work', signedIn: true, startUrl: 'https://corp.awsapps.com/start' });
    expect(run.stderr).toContain(`check that it shows the code ${String(prompt!.userCode)}`);
    expect(await readFile(join(home, 'opened'), 'utf8')).toBe(`${String(prompt!.verificationUriComplete)}\n`);
    expect(await readFile(join(home, 'approved'), 'utf8')).toContain('"approved":true');

    const identity = await awsOnBox('sts get-caller-identity --profile work --output json');
    expect(identity.code, identity.stderr).toBe(0);
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: '111122223333', Arn: ROLE_ARN });
    expect((await awsStatus()).aws).toEqual({ profiles: ['work'], signIn: 'signed-in', signedInUntil: expect.any(String) });
  });

  it('no token or key crosses the desktop: not on its disk, not in a log, not on an ssh command line', async () => {
    // The secrets as the box holds them: the sign-in token and client secret, and the role's keys its CLI cached.
    const cached = await onBox('cat "$PORTHOLE_WORKSPACE_HOME"/.aws/sso/cache/*.json; echo; cat "$PORTHOLE_WORKSPACE_HOME"/.aws/cli/cache/*.json');
    const secrets = [...cached.matchAll(/"(accessToken|refreshToken|clientSecret|SecretAccessKey|SessionToken)": "([^"]+)"/g)].map((match) => match[2]!);
    const kinds = new Set([...cached.matchAll(/"(accessToken|refreshToken|clientSecret|SecretAccessKey|SessionToken)"/g)].map((match) => match[1]));
    expect([...kinds].sort()).toEqual(['SecretAccessKey', 'SessionToken', 'accessToken', 'clientSecret', 'refreshToken']);

    const files = await filesUnder(home);
    // The sandbox instance's disk lives in the data folder; its workspace home is the box's, where the token belongs.
    const boxHome = files.filter((file) => file.includes(`/instances/us-east-1/${NAME}/home/`));
    expect(await anyHolds(boxHome, secrets)).not.toEqual([]);
    const desktop = files.filter((file) => !file.includes(`/instances/us-east-1/${NAME}/home/`));
    expect(desktop.filter((file) => file.startsWith(join(home, 'porthole'))).length).toBeGreaterThan(0);
    expect(await anyHolds(desktop, secrets)).toEqual([]);

    const calls = await (await fetch(`${emulator.endpoint}/_emulator/calls`)).text();
    const logs = await porthole(['logs', NAME, '--lines', 'all'], env);
    expect(logs.code, logs.stderr).toBe(0);
    for (const secret of secrets) {
      expect(calls).not.toContain(secret);
      expect(logs.stdout).not.toContain(secret);
    }

    const argv = await readFile(sshArgv(), 'utf8');
    expect(argv).toContain('aws sso login --no-browser $device --profile');
    for (const secret of secrets) expect(argv).not.toContain(secret);
  });

  it("the status read notices when the box's token has run out, and says how to sign in again", async () => {
    await onBox(`sed -i 's/"expiresAt": "[^"]*"/"expiresAt": "2001-01-01T00:00:00Z"/' "$(grep -l accessToken "$PORTHOLE_WORKSPACE_HOME"/.aws/sso/cache/*.json)"`);
    expect((await awsStatus()).aws).toEqual({ profiles: ['work'], signIn: 'expired' });
    const text = await porthole(['status', NAME], env);
    expect(text.stdout).toMatch(new RegExp(`^AWS: +profiles work; its sign-in expired: run "porthole aws-login ${NAME}"$`, 'm'));
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The files that hold any of the secrets (sockets and vanished files skipped). */
async function anyHolds(files: string[], secrets: string[]): Promise<string[]> {
  const holding: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'latin1').catch(() => '');
    if (secrets.some((secret) => text.includes(secret))) holding.push(file);
  }
  return holding;
}
