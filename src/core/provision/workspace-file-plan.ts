import type { AccessMode, WorkspaceState } from '../../shared/workspace.js';
import type { DesiredState, DesiredWorkspace } from './workspace-file.js';

/** A workspace as the cloud and its record have it: what the plan compares the file with. */
export interface ActualWorkspace {
  name: string;
  region: string;
  state: WorkspaceState;
  bundleId: string;
  accessMode: AccessMode;
  idleTimeoutMinutes?: number;
  /** From the workspace's record; unknown for a workspace found in the cloud alone. */
  layers?: string[];
  image?: string;
  /** From the record too: the ports forwarded whenever they listen. */
  declaredPorts?: number[];
}

/** The file's entry with the account's defaults filled in. */
export interface ResolvedDesired {
  name: string;
  region: string;
  bundle: string;
  layers: string[];
  access: AccessMode;
  idleTimeoutMinutes?: number;
  image?: string;
  state: DesiredState;
  /** The file's ports and its layers': the workspace's declared ports. */
  ports: number[];
}

/** One engine operation, in the order apply runs them; `ports` sets the declared ports, which changes nothing in the cloud. */
export type Operation = 'create' | 'ports' | 'start' | 'stop' | 'hibernate' | 'resume';

export type PlanEntry =
  | { action: 'change'; name: string; region: string; from: WorkspaceState | 'absent'; to: DesiredState; operations: Operation[]; desired: ResolvedDesired; ports?: { from: number[]; to: number[] } }
  | { action: 'unchanged'; name: string; region: string; state: WorkspaceState }
  /** A setting differs that only a new instance can have (bundle, layers, access, idle timeout, image): reported, never done silently. */
  | { action: 'replace-required'; name: string; region: string; fields: Array<{ field: string; from: string; to: string }> }
  /** Between states, or in error: apply leaves it until it settles. */
  | { action: 'blocked'; name: string; region: string; state: WorkspaceState; reason: string }
  | { action: 'not-in-file'; name: string; region: string; state: WorkspaceState };

export interface Plan {
  entries: PlanEntry[];
  /** Workspaces apply would change. */
  changes: number;
  replaceRequired: number;
  blocked: number;
}

export interface PlanDefaults {
  region: string;
  bundle: string;
}

/** `layerPorts`: the ports the entry's layers declare, which come before the file's own. */
export function resolveDesired(workspace: DesiredWorkspace, defaults: PlanDefaults, layerPorts: readonly number[] = []): ResolvedDesired {
  return {
    name: workspace.name,
    region: workspace.region ?? defaults.region,
    bundle: workspace.bundle ?? defaults.bundle,
    layers: workspace.layers ?? [],
    access: workspace.access ?? 'tunnel',
    ...(workspace.idleTimeoutMinutes !== undefined ? { idleTimeoutMinutes: workspace.idleTimeoutMinutes } : {}),
    ...(workspace.image !== undefined ? { image: workspace.image } : {}),
    state: workspace.state ?? 'running',
    ports: [...layerPorts, ...(workspace.ports ?? []).filter((port) => !layerPorts.includes(port))],
  };
}

/** What each settled state needs to reach each desired state. */
const TRANSITIONS: Partial<Record<WorkspaceState, Record<DesiredState, Operation[]>>> = {
  ready: { running: [], stopped: ['stop'], hibernated: ['hibernate'] },
  provisioning: { running: [], stopped: ['stop'], hibernated: ['hibernate'] },
  stopped: { running: ['start'], stopped: [], hibernated: ['hibernate'] },
  hibernated: { running: ['resume'], stopped: ['resume', 'stop'], hibernated: [] },
};

const CREATE: Record<DesiredState, Operation[]> = { running: ['create'], stopped: ['create', 'stop'], hibernated: ['create', 'hibernate'] };

/**
 * Desired against actual, as a pure function: what apply would do to each
 * workspace in the file, and the account's other workspaces listed as left
 * alone. Equal inputs give an equal plan, in the file's order.
 */
export function planWorkspaces(desired: readonly ResolvedDesired[], actual: readonly ActualWorkspace[]): Plan {
  const entries: PlanEntry[] = [];
  const named = new Set(desired.map((d) => `${d.region}/${d.name}`));
  for (const want of desired) {
    const have = actual.find((a) => a.name === want.name && a.region === want.region);
    if (!have) {
      entries.push({ action: 'change', name: want.name, region: want.region, from: 'absent', to: want.state, operations: CREATE[want.state], desired: want });
      continue;
    }
    const fields = replacedFields(want, have);
    if (fields.length > 0) {
      entries.push({ action: 'replace-required', name: want.name, region: want.region, fields });
      continue;
    }
    const transitions = TRANSITIONS[have.state];
    if (!transitions) {
      const reason = have.state === 'error' ? 'it is in error; see "porthole status"' : `it is ${have.state}; apply again once it settles`;
      entries.push({ action: 'blocked', name: want.name, region: want.region, state: have.state, reason });
      continue;
    }
    // A workspace found in the cloud alone has no record to say what it declares: nothing to compare.
    const ports = have.declaredPorts !== undefined && !samePorts(have.declaredPorts, want.ports) ? { from: have.declaredPorts, to: want.ports } : undefined;
    const operations: Operation[] = [...(ports ? ['ports' as const] : []), ...transitions[want.state]];
    entries.push(
      operations.length === 0
        ? { action: 'unchanged', name: want.name, region: want.region, state: have.state }
        : { action: 'change', name: want.name, region: want.region, from: have.state, to: want.state, operations, desired: want, ...(ports ? { ports } : {}) },
    );
  }
  for (const other of actual) {
    if (!named.has(`${other.region}/${other.name}`)) entries.push({ action: 'not-in-file', name: other.name, region: other.region, state: other.state });
  }
  return {
    entries,
    changes: entries.filter((e) => e.action === 'change').length,
    replaceRequired: entries.filter((e) => e.action === 'replace-required').length,
    blocked: entries.filter((e) => e.action === 'blocked').length,
  };
}

function samePorts(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((port) => b.includes(port));
}

/** Settings a running instance keeps from its creation; a hibernated one keeps them through resume too. */
function replacedFields(want: ResolvedDesired, have: ActualWorkspace): Array<{ field: string; from: string; to: string }> {
  const fields: Array<{ field: string; from: string; to: string }> = [];
  const compare = (field: string, from: string | undefined, to: string | undefined) => {
    if (from !== undefined && to !== undefined && from !== to) fields.push({ field, from, to });
  };
  compare('bundle', have.bundleId, want.bundle);
  compare('access', have.accessMode, want.access);
  compare('layers', have.layers?.join(','), want.layers.join(','));
  compare('idleTimeoutMinutes', have.idleTimeoutMinutes?.toString(), want.idleTimeoutMinutes?.toString());
  // An image only says where a workspace started: a change matters only when the file names one.
  if (have.layers !== undefined && want.image !== undefined) compare('image', have.image ?? '(none)', want.image);
  return fields;
}

const MARKERS: Record<PlanEntry['action'], string> = {
  change: '~',
  unchanged: ' ',
  'replace-required': '!',
  blocked: '?',
  'not-in-file': '.',
};

/** The plan as a person reads it, Terraform-like: one line per workspace with a marker, then a summary. */
export function formatPlan(plan: Plan): string {
  const lines = plan.entries.map((entry) => {
    const where = `${entry.name} (${entry.region})`;
    switch (entry.action) {
      case 'change':
        return entry.from === 'absent'
          ? `+ ${where}: create${entry.operations.length > 1 ? `, then ${entry.operations.slice(1).join(', then ')}` : ''} -> ${entry.to} (${describeDesired(entry.desired)})`
          : `${MARKERS.change} ${where}: ${entry.from} -> ${entry.to} (${entry.operations.map((operation) => (operation === 'ports' ? `declared ports ${portList(entry.ports?.from)} -> ${portList(entry.ports?.to)}` : operation)).join(', then ')})`;
      case 'unchanged':
        return `  ${where}: ${entry.state}, no change`;
      case 'replace-required':
        return `! ${where}: replace required, not done: ${entry.fields.map((f) => `${f.field} ${f.from} -> ${f.to}`).join('; ')}. Delete it and apply again to recreate it.`;
      case 'blocked':
        return `? ${where}: left for now: ${entry.reason}`;
      case 'not-in-file':
        return `. ${where}: ${entry.state}, not in file, left alone`;
    }
  });
  const creates = plan.entries.filter((e) => e.action === 'change' && e.from === 'absent').length;
  const summary =
    plan.changes === 0
      ? 'No changes. The workspaces match the file.'
      : `Plan: ${creates} to create, ${plan.changes - creates} to change.`;
  const extra = [
    plan.replaceRequired > 0 ? `${plan.replaceRequired} need replacing (not done by apply)` : '',
    plan.blocked > 0 ? `${plan.blocked} left until they settle` : '',
  ].filter((s) => s.length > 0);
  return [...lines, '', `${summary}${extra.length > 0 ? ` ${extra.join('; ')}.` : ''}`].join('\n');
}

function describeDesired(d: ResolvedDesired): string {
  return [
    d.bundle,
    `layers ${['base', ...d.layers].join(',')}`,
    d.access,
    ...(d.image ? [`image ${d.image}`] : []),
    ...(d.idleTimeoutMinutes !== undefined ? [`idle ${d.idleTimeoutMinutes} min`] : []),
    ...(d.ports.length > 0 ? [`ports ${d.ports.join(',')}`] : []),
  ].join(', ');
}

function portList(ports: readonly number[] | undefined): string {
  return ports && ports.length > 0 ? ports.join(',') : 'none';
}
