import type { BoxAwsConfig } from '../provision/box-aws-config.js';
import type { AccessMode } from '../../shared/workspace.js';
import { PortholeError } from '../errors.js';
import {
  BLUEPRINT_ID_PATTERN,
  AVAILABILITY_ZONE_PATTERN,
  BUNDLE_ID_PATTERN,
  REGION_PATTERN,
  validateBlueprintId,
  validateBundleId,
  validateIdleTimeoutMinutes,
  validateRegion,
  validateWorkspaceName,
  WORKSPACE_NAME_PATTERN,
} from '../workspaces/workspace-name.js';

/**
 * Where Porthole finds workspaces: the built-in sandbox, or an AWS profile
 * from the shared config files. `name` is what the keychain, the journal
 * and the workspace records call the account.
 */
export type AccountSettings =
  | { name: string; kind: 'sandbox'; regions: string[]; enabled?: boolean }
  | { name: string; kind: 'aws-profile'; profile: string; regions: string[]; enabled?: boolean };

export type NotificationKind = 'idleWarning' | 'idleStop' | 'operationFinished' | 'operationFailed' | 'costReminder' | 'portReady' | 'firewallFollowed' | 'awsSignInExpired';
export type NotificationSettings = Record<NotificationKind, boolean>;

/** What Porthole remembers of a workspace it made. The password is in the keychain, never here. */
export interface WorkspaceRecord {
  name: string;
  account: string;
  region: string;
  bundleId: string;
  blueprintId: string;
  /** The zone it was created in, so a resume from its snapshot lands beside its disk's old home. */
  availabilityZone?: string;
  accessMode: AccessMode;
  /** 0: never stops by itself. */
  idleTimeoutMinutes: number;
  staticIpName?: string;
  /** Its Lightsail instance's name, when a restore in place gave it one other than the workspace's. */
  instanceName?: string;
  /** Whether hibernation keeps the static IP, so the address survives; kept unless said otherwise. */
  keepsStaticIp?: boolean;
  createdAt: string;
  /** The environment layers it was built from, base first. */
  layers: string[];
  /** The baked image it was created from. */
  image?: string;
  /** The project folder whose `.porthole/` layers it was made with. */
  projectDir?: string;
  /** The day's backup of another workspace it was restored from. */
  fromBackup?: { workspace: string; instanceName?: string; date: string };
  /** Daily backups, while on, and the UTC hour they are taken (Lightsail picks one when absent). */
  backups?: { timeOfDay?: string };
  /** Ports its layers and porthole.json declare: forwarded whenever they listen. */
  declaredPorts?: number[];
  /** Direct access: the SHA-256 fingerprint of its code-server certificate, pinned on first contact over SSH. */
  certificateSha256?: string;
  /** The public IP this computer had when Porthole last wrote its SSH rule (SSH from that /32). */
  callerIp?: string;
  /** The IAM Identity Center profiles its AWS CLI signs in with: start URL, region, accounts and roles, never a token or key. */
  awsConfig?: BoxAwsConfig;
}

export interface Settings {
  accounts: AccountSettings[];
  activeAccount: string;
  defaultRegion: string;
  defaultBundleId: string;
  defaultBlueprintId: string;
  /** Tells Porthole the public IP to open port 22 to. */
  ipEchoUrl: string;
  notifications: NotificationSettings;
  launchAtLogin: boolean;
  workspaces: WorkspaceRecord[];
}

export const SANDBOX_ACCOUNT = 'sandbox';

export const DEFAULT_SETTINGS: Settings = {
  accounts: [{ name: SANDBOX_ACCOUNT, kind: 'sandbox', regions: ['us-east-1'] }],
  activeAccount: SANDBOX_ACCOUNT,
  defaultRegion: 'us-east-1',
  // 2 GB: code-server with a language server or two does not fit in 1 GB.
  defaultBundleId: 'small_3_0',
  defaultBlueprintId: 'ubuntu_24_04',
  ipEchoUrl: 'https://checkip.amazonaws.com',
  notifications: { idleWarning: true, idleStop: true, operationFinished: true, operationFailed: true, costReminder: true, portReady: true, firewallFollowed: true, awsSignInExpired: true },
  launchAtLogin: false,
  workspaces: [],
};

/** What Lightsail accepts as a resource name, for names Porthole did not choose the rules of (static IPs). */
const LIGHTSAIL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
const ACCOUNT_NAME_MAX_LENGTH = 64;

const NOTIFICATION_KINDS = Object.keys(DEFAULT_SETTINGS.notifications) as NotificationKind[];

/**
 * The shape of the settings file as JSON Schema, for `conf` here and
 * electron-store in the app. It checks types; `settingsProblem` checks
 * meaning and says what to fix. Records accept unknown properties so a file
 * written by a newer Porthole still opens in an older one.
 */
export const SETTINGS_SCHEMA = {
  accounts: {
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      required: ['name', 'kind', 'regions'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: ACCOUNT_NAME_MAX_LENGTH },
        kind: { enum: ['sandbox', 'aws-profile'] },
        profile: { type: 'string', minLength: 1 },
        regions: { type: 'array', minItems: 1, items: { type: 'string', pattern: REGION_PATTERN.source } },
        // Listed alongside the others (the app shows every enabled account's workspaces); true unless said.
        enabled: { type: 'boolean' },
      },
    },
  },
  activeAccount: { type: 'string', minLength: 1 },
  defaultRegion: { type: 'string', pattern: REGION_PATTERN.source },
  defaultBundleId: { type: 'string', pattern: BUNDLE_ID_PATTERN.source },
  defaultBlueprintId: { type: 'string', pattern: BLUEPRINT_ID_PATTERN.source },
  ipEchoUrl: { type: 'string', minLength: 1 },
  notifications: {
    type: 'object',
    properties: Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, { type: 'boolean' }])),
  },
  launchAtLogin: { type: 'boolean' },
  workspaces: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'account', 'region', 'bundleId', 'blueprintId', 'accessMode', 'idleTimeoutMinutes', 'createdAt', 'layers'],
      properties: {
        name: { type: 'string', pattern: WORKSPACE_NAME_PATTERN.source },
        account: { type: 'string', minLength: 1 },
        region: { type: 'string', pattern: REGION_PATTERN.source },
        bundleId: { type: 'string', pattern: BUNDLE_ID_PATTERN.source },
        blueprintId: { type: 'string', pattern: BLUEPRINT_ID_PATTERN.source },
        availabilityZone: { type: 'string', pattern: AVAILABILITY_ZONE_PATTERN.source },
        accessMode: { enum: ['tunnel', 'direct'] },
        idleTimeoutMinutes: { type: 'integer', minimum: 0 },
        staticIpName: { type: 'string', pattern: LIGHTSAIL_NAME_PATTERN.source },
        instanceName: { type: 'string', pattern: LIGHTSAIL_NAME_PATTERN.source },
        keepsStaticIp: { type: 'boolean' },
        createdAt: { type: 'string', minLength: 1 },
        layers: { type: 'array', items: { type: 'string', minLength: 1 } },
        projectDir: { type: 'string', minLength: 1 },
        fromBackup: {
          type: 'object',
          required: ['workspace', 'date'],
          properties: {
            workspace: { type: 'string', pattern: WORKSPACE_NAME_PATTERN.source },
            instanceName: { type: 'string', pattern: LIGHTSAIL_NAME_PATTERN.source },
            date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
        },
        backups: { type: 'object', properties: { timeOfDay: { type: 'string', pattern: '^([01][0-9]|2[0-3]):00$' } } },
        declaredPorts: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65_535 } },
        certificateSha256: { type: 'string', pattern: '^([0-9A-F]{2}:){31}[0-9A-F]{2}$' },
        callerIp: { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}$' },
        awsConfig: {
          type: 'object',
          required: ['startUrl', 'ssoRegion', 'profiles'],
          additionalProperties: false,
          properties: {
            startUrl: { type: 'string', minLength: 1 },
            ssoRegion: { type: 'string', pattern: REGION_PATTERN.source },
            profiles: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['name', 'accountId', 'roleName'],
                additionalProperties: false,
                properties: {
                  name: { type: 'string', minLength: 1 },
                  accountId: { type: 'string', pattern: '^\\d{12}$' },
                  roleName: { type: 'string', minLength: 1 },
                  region: { type: 'string', pattern: REGION_PATTERN.source },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * The first thing wrong with `settings` in meaning (the schema has checked
 * the types), said with where it is: `workspaces[2] "demo": ...`.
 */
export function settingsProblem(settings: Settings): PortholeError | undefined {
  if (settings.accounts.length === 0) {
    return located('accounts', usage('No account is set up.', `Add one; "${SANDBOX_ACCOUNT}" needs no AWS credentials.`));
  }
  const accountNames = new Set<string>();
  for (const [index, account] of settings.accounts.entries()) {
    const where = `accounts[${index}] "${account.name}"`;
    if (accountNames.has(account.name)) return located(where, usage(`Two accounts are called "${account.name}".`, 'Rename one of them.'));
    accountNames.add(account.name);
    if (/[\p{C}]/u.test(account.name)) {
      return located(where, usage('The account name has an invisible character.', 'Use letters, numbers and punctuation.'));
    }
    if (account.kind === 'aws-profile' && !account.profile) {
      return located(where, usage('The account names no AWS profile.', 'Add the profile name from ~/.aws/config.'));
    }
    for (const [regionIndex, region] of account.regions.entries()) {
      const problem = validateRegion(region);
      if (problem) return located(`${where} regions[${regionIndex}]`, problem);
    }
  }
  if (!accountNames.has(settings.activeAccount)) {
    return located(
      'activeAccount',
      usage(`No account is called "${settings.activeAccount}".`, `Choose one of: ${[...accountNames].join(', ')}.`),
    );
  }
  const defaults = [
    ['defaultRegion', validateRegion(settings.defaultRegion)],
    ['defaultBundleId', validateBundleId(settings.defaultBundleId)],
    ['defaultBlueprintId', validateBlueprintId(settings.defaultBlueprintId)],
    ['ipEchoUrl', ipEchoUrlProblem(settings.ipEchoUrl)],
  ] as const;
  for (const [where, problem] of defaults) if (problem) return located(where, problem);
  const seen = new Set<string>();
  for (const [index, workspace] of settings.workspaces.entries()) {
    const problem = workspaceRecordProblem(workspace);
    if (problem) return located(`workspaces[${index}] "${workspace.name}"`, problem);
    const key = JSON.stringify([workspace.account, workspace.region, workspace.name]);
    if (seen.has(key)) {
      return located(
        `workspaces[${index}] "${workspace.name}"`,
        usage(`The workspace is listed twice for ${workspace.account} in ${workspace.region}.`, 'Remove one of the two records.'),
      );
    }
    seen.add(key);
  }
  return undefined;
}

export function workspaceRecordProblem(workspace: WorkspaceRecord): PortholeError | undefined {
  const checks: Array<[string, PortholeError | undefined]> = [
    ['name', validateWorkspaceName(workspace.name)],
    ['region', validateRegion(workspace.region)],
    ['bundleId', validateBundleId(workspace.bundleId)],
    ['blueprintId', validateBlueprintId(workspace.blueprintId)],
    ['idleTimeoutMinutes', validateIdleTimeoutMinutes(workspace.idleTimeoutMinutes)],
  ];
  for (const [field, problem] of checks) if (problem) return located(field, problem);
  if (workspace.accessMode !== 'tunnel' && workspace.accessMode !== 'direct') {
    return located('accessMode', usage(`Access mode "${String(workspace.accessMode)}" is unknown.`, 'Use "tunnel" or "direct".'));
  }
  if (workspace.availabilityZone !== undefined && !workspace.availabilityZone.startsWith(workspace.region)) {
    return located(
      'availabilityZone',
      usage(`Zone "${workspace.availabilityZone}" is not in the workspace's region ${workspace.region}.`, `Use a zone such as ${workspace.region}a.`),
    );
  }
  if (workspace.staticIpName !== undefined && !LIGHTSAIL_NAME_PATTERN.test(workspace.staticIpName)) {
    return located('staticIpName', usage(`"${workspace.staticIpName}" is not a Lightsail static IP name.`, 'Use the name shown in the Lightsail console.'));
  }
  if (Number.isNaN(Date.parse(workspace.createdAt))) {
    return located('createdAt', usage(`"${workspace.createdAt}" is not a date.`, 'Use an ISO 8601 time such as 2025-01-31T12:00:00Z.'));
  }
  return undefined;
}

/**
 * The answer decides which address may reach port 22, so it must not be
 * alterable on the way: https, except on this machine (the sandbox's echo).
 */
function ipEchoUrlProblem(text: string): PortholeError | undefined {
  const fix = `Use an https address, such as the default ${DEFAULT_SETTINGS.ipEchoUrl}.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return usage(`"${text}" is not a web address.`, fix);
  }
  if (url.protocol === 'https:') return undefined;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback) return undefined;
  return usage(`"${text}" is not https, so its answer could be changed on the way.`, fix);
}

function usage(message: string, fix: string): PortholeError {
  return new PortholeError('usage', message, { fix });
}

/** The same problem, its message led by where it is. */
function located(where: string, problem: PortholeError): PortholeError {
  return new PortholeError(problem.kind, `${where}: ${problem.problem}`, { fix: problem.fix });
}
