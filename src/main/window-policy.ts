import type { Workspace, WorkspaceState } from '../shared/workspace.js';

/** "<name> — <state> — Porthole": which workspace a window shows and what it is doing, in the task switcher. */
export function editorWindowTitle(name: string, state: WorkspaceState | 'tunnel lost'): string {
  return `${name} — ${state} — Porthole`;
}

/**
 * The persistent session partition of a workspace's editor window: one per
 * account, region and workspace, so cookies and storage of one workspace
 * never reach another, and survive a restart. Only [a-z0-9-] pass, so a
 * name cannot collide by punctuation (`a.b` with `a-b` is prevented by
 * workspace names allowing neither dot nor underscore).
 */
export function workspacePartition(workspace: Pick<Workspace, 'account' | 'region' | 'name'>): string {
  const clean = (part: string) => part.toLowerCase().replace(/[^a-z0-9-]+/g, '_');
  return `persist:workspace-${clean(workspace.account)}-${clean(workspace.region)}-${clean(workspace.name)}`;
}

/** Directives the dashboard's policy must hold exactly as given: nothing may run, load or submit from outside the app's files. */
const REQUIRED_CSP: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
};

/**
 * What is wrong with a Content-Security-Policy for the dashboard, empty when
 * it is strict enough. The dashboard is a file:// page, where Electron's
 * webRequest sees no response headers, so its policy is the page's meta tag;
 * this check keeps that tag strict.
 */
export function cspProblems(policy: string): string[] {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values.join(' ')]),
  );
  const problems: string[] = [];
  for (const [name, value] of Object.entries(REQUIRED_CSP)) {
    if (directives.get(name) !== value) problems.push(`${name} must be ${value}, not ${directives.get(name) ?? 'missing'}`);
  }
  for (const [name, value] of directives) {
    if (/'unsafe-|\*|https?:|'wasm-unsafe-eval'/.test(value)) problems.push(`${name} allows ${value}`);
  }
  return problems;
}

/** The policy in an HTML page's Content-Security-Policy meta tag, if it has one. */
export function metaCsp(html: string): string | undefined {
  const tag = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return tag?.[1];
}
