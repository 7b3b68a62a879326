import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The AWS profiles on this computer, found where the AWS CLI finds them:
 * `[profile NAME]` (and `[default]`) in the shared config file, `[NAME]` in
 * the shared credentials file. Only names: resolving credentials is the AWS
 * SDK's job, so Porthole signs in exactly as the CLI would.
 */
export interface AwsProfile {
  name: string;
  region?: string;
}

export function sharedConfigPaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME ?? homedir();
  return {
    config: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  };
}

export async function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfile[]> {
  const paths = sharedConfigPaths(env);
  const profiles = new Map<string, AwsProfile>();
  for (const section of parseIni(await readIfPresent(paths.config))) {
    const name = section.name === 'default' ? 'default' : section.name.match(/^profile\s+(.+)$/)?.[1]?.trim();
    if (!name) continue;
    profiles.set(name, { name, ...(section.values.region ? { region: section.values.region } : {}) });
  }
  for (const section of parseIni(await readIfPresent(paths.credentials))) {
    if (!profiles.has(section.name)) profiles.set(section.name, { name: section.name });
  }
  return [...profiles.values()].sort((a, b) => a.name.localeCompare(b.name));
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
