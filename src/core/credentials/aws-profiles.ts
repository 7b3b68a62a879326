import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The AWS profiles on this computer, found where the AWS CLI finds them:
 * `[profile NAME]` (and `[default]`) in the shared config file, `[NAME]` in
 * the shared credentials file. Porthole only classifies them; resolving
 * credentials stays the AWS SDK's job, so it signs in exactly as the CLI would.
 */
export type AwsProfileKind =
  | { type: 'static-keys' }
  | { type: 'sso'; session?: string; startUrl: string; ssoRegion: string; accountId?: string; roleName?: string }
  | { type: 'credential-process' }
  | { type: 'assume-role'; roleArn: string; sourceProfile?: string; credentialSource?: string; chain: string[] }
  | { type: 'unknown' };

export interface AwsProfile {
  name: string;
  region?: string;
  kind?: AwsProfileKind;
}

export function sharedConfigPaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME ?? homedir();
  return {
    config: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  };
}

export async function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfile[]> {
  const files = await readSharedFiles(env);
  const names = new Set([...files.profiles.keys(), ...files.credentials.keys()]);
  return [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const region = files.profiles.get(name)?.region;
      return { name, ...(region ? { region } : {}) };
    });
}

/** Profiles with their kind (how the SDK will get their credentials). */
export async function discoverAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfile[]> {
  const files = await readSharedFiles(env);
  const profiles = await listAwsProfiles(env);
  return profiles.map((profile) => ({ ...profile, kind: classify(profile.name, files) }));
}

interface SharedFiles {
  profiles: Map<string, Record<string, string>>;
  ssoSessions: Map<string, Record<string, string>>;
  credentials: Map<string, Record<string, string>>;
}

async function readSharedFiles(env: NodeJS.ProcessEnv): Promise<SharedFiles> {
  const paths = sharedConfigPaths(env);
  const profiles = new Map<string, Record<string, string>>();
  const ssoSessions = new Map<string, Record<string, string>>();
  for (const section of parseIni(await readIfPresent(paths.config))) {
    const session = section.name.match(/^sso-session\s+(.+)$/)?.[1]?.trim();
    if (session) {
      ssoSessions.set(session, section.values);
      continue;
    }
    const name = section.name === 'default' ? 'default' : section.name.match(/^profile\s+(.+)$/)?.[1]?.trim();
    if (name) profiles.set(name, { ...profiles.get(name), ...section.values });
  }
  const credentials = new Map<string, Record<string, string>>();
  for (const section of parseIni(await readIfPresent(paths.credentials))) credentials.set(section.name, section.values);
  return { profiles, ssoSessions, credentials };
}

/** The same precedence as the SDK's fromIni: static keys, then role, then SSO, then process. */
function classify(name: string, files: SharedFiles, seen: string[] = []): AwsProfileKind {
  const values = { ...files.profiles.get(name), ...files.credentials.get(name) };
  if (values.role_arn) {
    const sourceProfile = values.source_profile;
    const chain = [name];
    if (sourceProfile && !seen.includes(sourceProfile) && sourceProfile !== name) {
      const source = classify(sourceProfile, files, [...seen, name]);
      chain.push(...(source.type === 'assume-role' ? source.chain : [sourceProfile]));
    }
    return {
      type: 'assume-role',
      roleArn: values.role_arn,
      ...(sourceProfile ? { sourceProfile } : {}),
      ...(values.credential_source ? { credentialSource: values.credential_source } : {}),
      chain,
    };
  }
  if (values.aws_access_key_id && values.aws_secret_access_key) return { type: 'static-keys' };
  if (values.sso_session) {
    const session = files.ssoSessions.get(values.sso_session) ?? {};
    return {
      type: 'sso',
      session: values.sso_session,
      startUrl: session.sso_start_url ?? '',
      ssoRegion: session.sso_region ?? '',
      ...(values.sso_account_id ? { accountId: values.sso_account_id } : {}),
      ...(values.sso_role_name ? { roleName: values.sso_role_name } : {}),
    };
  }
  if (values.sso_start_url) {
    return {
      type: 'sso',
      startUrl: values.sso_start_url,
      ssoRegion: values.sso_region ?? '',
      ...(values.sso_account_id ? { accountId: values.sso_account_id } : {}),
      ...(values.sso_role_name ? { roleName: values.sso_role_name } : {}),
    };
  }
  if (values.credential_process) return { type: 'credential-process' };
  return { type: 'unknown' };
}

/** The sso-session or legacy start URL a profile signs in with, for `porthole login`. */
export async function ssoSettingsOf(
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ session?: string; startUrl: string; ssoRegion: string; registrationScopes?: string } | undefined> {
  const files = await readSharedFiles(env);
  const kind = classify(profile, files);
  if (kind.type !== 'sso') return undefined;
  const scopes = kind.session ? files.ssoSessions.get(kind.session)?.sso_registration_scopes : undefined;
  return {
    ...(kind.session ? { session: kind.session } : {}),
    startUrl: kind.startUrl,
    ssoRegion: kind.ssoRegion,
    ...(scopes ? { registrationScopes: scopes } : {}),
  };
}

interface IniSection {
  name: string;
  values: Record<string, string>;
}

function parseIni(text: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header?.[1]) {
      current = { name: header[1].trim(), values: {} };
      sections.push(current);
      continue;
    }
    const pair = line.match(/^([^=]+?)\s*=\s*(.*)$/);
    if (current && pair?.[1] && !/^\s/.test(raw)) current.values[pair[1]] = pair[2] ?? '';
  }
  return sections;
}

async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
