import { join } from 'node:path';
import Conf from 'conf';
import { PortholeError } from '../errors.js';
import { sameWorkspace, type WorkspaceRef } from '../workspaces/workspace-ref.js';
import {
  DEFAULT_SETTINGS,
  SETTINGS_SCHEMA,
  settingsProblem,
  type AccountSettings,
  type Settings,
  type WorkspaceRecord,
} from './settings-schema.js';

/**
 * The user's settings in `settings.json` in a directory the caller chooses
 * (the app's user-data folder, the CLI's config folder, a test's temp dir).
 * Every change is checked before it is written, so the file on disk is
 * always one Porthole can start with.
 */
export class SettingsStore {
  readonly path: string;
  readonly #conf: Conf<Settings>;

  constructor(directory: string) {
    try {
      this.#conf = new Conf<Settings>({
        cwd: directory,
        configName: 'settings',
        defaults: DEFAULT_SETTINGS,
        schema: SETTINGS_SCHEMA,
        accessPropertiesByDotNotation: false,
        configFileMode: 0o600,
      });
    } catch (error) {
      throw unreadable(join(directory, 'settings.json'), firstLine(error), error);
    }
    this.path = this.#conf.path;
    const problem = settingsProblem(this.get());
    if (problem) throw unreadable(this.path, problem.message, problem);
  }

  get(): Settings {
    let stored: Settings;
    try {
      stored = this.#conf.store;
    } catch (error) {
      throw unreadable(this.path, firstLine(error), error);
    }
    // A file from an older Porthole lacks the notification kinds added since; they start on.
    return structuredClone({ ...stored, notifications: { ...DEFAULT_SETTINGS.notifications, ...stored.notifications } });
  }

  set<Key extends keyof Settings>(key: Key, value: Settings[Key]): void {
    const next = { ...this.get(), [key]: structuredClone(value) };
    if (key === 'accounts') next.accounts = next.accounts.map(accountSettings);
    if (key === 'workspaces') next.workspaces = next.workspaces.map(workspaceRecord);
    this.#write(next);
  }

  findWorkspace(workspace: WorkspaceRef): WorkspaceRecord | undefined {
    return this.get().workspaces.find((record) => sameWorkspace(record, workspace));
  }

  /** Adds the workspace, or replaces the record of the one with the same account, region and name. */
  saveWorkspace(record: WorkspaceRecord): void {
    const settings = this.get();
    const others = settings.workspaces.filter((existing) => !sameWorkspace(existing, record));
    this.#write({ ...settings, workspaces: [...others, workspaceRecord(record)] });
  }

  /** True when there was a record to remove. */
  removeWorkspace(workspace: WorkspaceRef): boolean {
    const settings = this.get();
    const remaining = settings.workspaces.filter((existing) => !sameWorkspace(existing, workspace));
    if (remaining.length === settings.workspaces.length) return false;
    this.#write({ ...settings, workspaces: remaining });
    return true;
  }

  #write(settings: Settings): void {
    const problem = settingsProblem(settings);
    if (problem) throw problem;
    try {
      this.#conf.store = settings;
    } catch (error) {
      throw new PortholeError('usage', `Settings not saved: ${firstLine(error)}.`, {
        fix: `Check the value given, and that ${this.path} is writable.`,
        cause: error,
      });
    }
  }
}

/**
 * Records are rebuilt field by field, so nothing a caller happened to carry
 * along (a password above all) can reach the file.
 */
function workspaceRecord(record: WorkspaceRecord): WorkspaceRecord {
  const { name, account, region, bundleId, blueprintId, availabilityZone, accessMode, idleTimeoutMinutes } = record;
  const { staticIpName, instanceName, keepsStaticIp, createdAt, layers, image, projectDir, fromBackup, backups, declaredPorts, certificateSha256, callerIp, awsConfig } = record;
  return {
    name,
    account,
    region,
    bundleId,
    blueprintId,
    ...(availabilityZone === undefined ? {} : { availabilityZone }),
    accessMode,
    idleTimeoutMinutes,
    ...(staticIpName === undefined ? {} : { staticIpName }),
    ...(instanceName === undefined ? {} : { instanceName }),
    ...(keepsStaticIp === undefined ? {} : { keepsStaticIp }),
    createdAt,
    layers: [...layers],
    ...(image === undefined ? {} : { image }),
    ...(projectDir === undefined ? {} : { projectDir }),
    ...(fromBackup === undefined ? {} : { fromBackup: { ...fromBackup } }),
    ...(backups === undefined ? {} : { backups: { ...backups } }),
    ...(declaredPorts === undefined ? {} : { declaredPorts: [...declaredPorts] }),
    ...(certificateSha256 === undefined ? {} : { certificateSha256 }),
    ...(callerIp === undefined ? {} : { callerIp }),
    ...(awsConfig === undefined ? {} : { awsConfig: { ...awsConfig, profiles: awsConfig.profiles.map((profile) => ({ ...profile })) } }),
  };
}

function accountSettings(account: AccountSettings): AccountSettings {
  const { name, regions } = account;
  // Only a disabled account says so; enabled is the default.
  const enabled = account.enabled === false ? { enabled: false } : {};
  return account.kind === 'sandbox'
    ? { name, kind: 'sandbox', regions: [...regions], ...enabled }
    : { name, kind: 'aws-profile', profile: account.profile, regions: [...regions], ...enabled };
}

function unreadable(path: string, why: string, cause: unknown): PortholeError {
  return new PortholeError('usage', `The settings file ${path} cannot be used: ${why}`, {
    fix: 'Correct it, or move it aside to start again from the defaults (workspaces in the cloud are found again by their tags).',
    cause,
  });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
