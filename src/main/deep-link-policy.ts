import { REGION_PATTERN, validateWorkspaceName } from '../core/workspaces/workspace-name.js';

export const DEEP_LINK_SCHEME = 'porthole';

/** What a `porthole://open/NAME` link asks for. */
export interface DeepLink {
  action: 'open';
  name: string;
  region?: string;
}

/**
 * Reads a deep link, or returns undefined for anything that is not exactly
 * `porthole://open/NAME` (optionally `?region=REGION`) with a valid
 * workspace name: a link comes from any web page, so nothing else passes.
 */
export function parseDeepLink(link: string): DeepLink | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.username || url.password || url.port || url.hash) return undefined;
  // porthole://open/NAME puts "open" in the host; porthole:open/NAME in the path.
  const parts = `${url.host}${url.pathname}`.replace(/\/$/, '').split('/');
  if (parts.length !== 2 || parts[0] !== 'open') return undefined;
  const name = parts[1]!;
  if (validateWorkspaceName(name)) return undefined;
  const keys = [...url.searchParams.keys()];
  if (keys.some((key) => key !== 'region') || keys.length > 1) return undefined;
  const region = url.searchParams.get('region');
  if (region !== null && !REGION_PATTERN.test(region)) return undefined;
  return { action: 'open', name, ...(region !== null ? { region } : {}) };
}

/** The deep link among a process's arguments (Windows and Linux pass it on the command line), if any. */
export function deepLinkInArgs(argv: readonly string[]): DeepLink | undefined {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return undefined;
}
