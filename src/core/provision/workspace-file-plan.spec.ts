import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkspaceState } from '../../shared/workspace.js';
import type { DesiredState } from './workspace-file.js';
import { formatPlan, planWorkspaces, resolveDesired, type ActualWorkspace, type ResolvedDesired } from './workspace-file-plan.js';

const defaults = { region: 'us-east-1', bundle: 'small_3_0' };
const want = (name: string, state: DesiredState = 'running', extra: Partial<ResolvedDesired> = {}): ResolvedDesired => ({ ...resolveDesired({ name, state }, defaults), ...extra });
const have = (name: string, state: WorkspaceState, extra: Partial<ActualWorkspace> = {}): ActualWorkspace => ({
  name,
  region: 'us-east-1',
  state,
  bundleId: 'small_3_0',
  accessMode: 'tunnel',
  idleTimeoutMinutes: 60,
  layers: [],
  ...extra,
});

/** What each settled state becomes after an operation: the engine's contract, as apply relies on it. */
const AFTER: Record<string, WorkspaceState> = { create: 'ready', start: 'ready', stop: 'stopped', hibernate: 'hibernated', resume: 'ready' };
const SHOWN: Record<DesiredState, WorkspaceState> = { running: 'ready', stopped: 'stopped', hibernated: 'hibernated' };

describe('planWorkspaces', () => {
  it('plans creates on an empty account, with the follow-up for a desired stopped or hibernated state', () => {
    const plan = planWorkspaces([want('api'), want('web', 'stopped'), want('ops', 'hibernated')], []);
    expect(plan.entries.map((e) => (e.action === 'change' ? [e.name, e.operations] : [e.name, e.action]))).toEqual([
      ['api', ['create']],
      ['web', ['create', 'stop']],
      ['ops', ['create', 'hibernate']],
    ]);
    expect(plan.changes).toBe(3);
    expect(formatPlan(plan)).toMatch(/^\+ api \(us-east-1\): create -> running \(small_3_0, layers base, tunnel\)$/m);
    expect(formatPlan(plan)).toMatch(/^\+ web \(us-east-1\): create, then stop -> stopped/m);
    expect(formatPlan(plan)).toMatch(/Plan: 3 to create, 0 to change\.$/);
  });

  it('moves each settled state to each desired state with the engine operations that do it', () => {
    const cases: Array<[WorkspaceState, DesiredState, string[]]> = [
      ['stopped', 'running', ['start']],
      ['ready', 'stopped', ['stop']],
      ['ready', 'hibernated', ['hibernate']],
      ['stopped', 'hibernated', ['hibernate']],
      ['hibernated', 'running', ['resume']],
      ['hibernated', 'stopped', ['resume', 'stop']],
    ];
    for (const [from, to, operations] of cases) {
      const [entry] = planWorkspaces([want('w', to)], [have('w', from)]).entries;
      expect(entry, `${from} -> ${to}`).toMatchObject({ action: 'change', from, to, operations });
    }
  });

  it('says "no changes" when everything matches, and lists other workspaces as left alone', () => {
    const plan = planWorkspaces([want('api'), want('web', 'hibernated')], [have('api', 'ready'), have('web', 'hibernated'), have('mine', 'stopped')]);
    expect(plan.changes).toBe(0);
    const text = formatPlan(plan);
    expect(text).toMatch(/^ {2}api \(us-east-1\): ready, no change$/m);
    expect(text).toMatch(/^\. mine \(us-east-1\): stopped, not in file, left alone$/m);
    expect(text).toMatch(/No changes\. The workspaces match the file\.$/);
  });

  it('reports a changed bundle, access, layers or idle timeout as a replacement it will not do', () => {
    const plan = planWorkspaces(
      [want('api', 'running', { bundle: 'medium_3_0', layers: ['developer'], access: 'direct', idleTimeoutMinutes: 30 })],
      [have('api', 'ready')],
    );
    expect(plan.entries[0]).toMatchObject({
      action: 'replace-required',
      fields: [
        { field: 'bundle', from: 'small_3_0', to: 'medium_3_0' },
        { field: 'access', from: 'tunnel', to: 'direct' },
        { field: 'layers', from: '', to: 'developer' },
        { field: 'idleTimeoutMinutes', from: '60', to: '30' },
      ],
    });
    expect(plan.changes).toBe(0);
    expect(formatPlan(plan)).toMatch(/^! api \(us-east-1\): replace required, not done: bundle small_3_0 -> medium_3_0;/m);
  });

  it('sets changed declared ports on a workspace it keeps, and says so; a workspace without a record has none to compare', () => {
    const plan = planWorkspaces(
      [want('api', 'running', { ports: [3000, 8888] }), want('web', 'running', { ports: [5173] }), want('ops', 'running', { ports: [3000] }), want('lab', 'running', { ports: [] })],
      [have('api', 'ready', { declaredPorts: [3000] }), have('web', 'stopped', { declaredPorts: [] }), have('ops', 'ready', { layers: undefined }), have('lab', 'ready', { declaredPorts: [] })],
    );
    expect(plan.entries).toMatchObject([
      { action: 'change', name: 'api', operations: ['ports'], ports: { from: [3000], to: [3000, 8888] } },
      { action: 'change', name: 'web', operations: ['ports', 'start'], ports: { from: [], to: [5173] } },
      { action: 'unchanged', name: 'ops' },
      { action: 'unchanged', name: 'lab' },
    ]);
    const text = formatPlan(plan);
    expect(text).toMatch(/^~ api \(us-east-1\): ready -> running \(declared ports 3000 -> 3000,8888\)$/m);
    expect(text).toMatch(/^~ web \(us-east-1\): stopped -> running \(declared ports none -> 5173, then start\)$/m);
    expect(text).toMatch(/Plan: 0 to create, 2 to change\.$/);
    expect(planWorkspaces([want('api', 'running', { ports: [8888, 3000] })], [have('api', 'ready', { declaredPorts: [3000, 8888] })]).changes).toBe(0);
  });

  it("puts a layer's declared ports before the file's, each once, and shows them on a create", () => {
    expect(resolveDesired({ name: 'api', ports: [8888, 3000] }, defaults, [3000, 5173]).ports).toEqual([3000, 5173, 8888]);
    expect(formatPlan(planWorkspaces([want('api', 'running', { ports: [3000, 8888] })], []))).toMatch(/^\+ api \(us-east-1\): create -> running \(small_3_0, layers base, tunnel, ports 3000,8888\)$/m);
  });

  it('leaves workspaces between states or in error until they settle', () => {
    const plan = planWorkspaces([want('a'), want('b')], [have('a', 'stopping'), have('b', 'error')]);
    expect(plan.entries.map((e) => e.action)).toEqual(['blocked', 'blocked']);
    expect(formatPlan(plan)).toMatch(/^\? a \(us-east-1\): left for now: it is stopping; apply again once it settles$/m);
  });

  it('is idempotent: applying the plan and planning again gives no changes (property)', () => {
    const settled = fc.constantFrom<WorkspaceState | 'absent'>('absent', 'ready', 'stopped', 'hibernated');
    const desired = fc.constantFrom<DesiredState>('running', 'stopped', 'hibernated');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{1,6}$/), settled, desired), { selector: ([name]) => name, maxLength: 6 }), (rows) => {
        const wants = rows.map(([name, , state]) => want(name, state));
        const haves = rows.filter(([, state]) => state !== 'absent').map(([name, state]) => have(name, state as WorkspaceState));
        const plan = planWorkspaces(wants, haves);
        const after = rows.map(([name, state]) => {
          const entry = plan.entries.find((e) => e.name === name);
          let current = state;
          if (entry?.action === 'change') for (const op of entry.operations) current = AFTER[op]!;
          return have(name, current as WorkspaceState);
        });
        for (const workspace of after) expect(workspace.state).toBe(SHOWN[rows.find(([n]) => n === workspace.name)![2]]);
        expect(planWorkspaces(wants, after).changes).toBe(0);
      }),
    );
  });

  it('never touches a workspace the file does not name (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{1,6}$/), { minLength: 1, maxLength: 8 }), fc.nat(), (names, split) => {
        const cut = split % names.length;
        const plan = planWorkspaces(
          names.slice(0, cut).map((n) => want(n)),
          names.map((n) => have(n, 'stopped')),
        );
        const others = plan.entries.filter((e) => !names.slice(0, cut).includes(e.name));
        expect(others.every((e) => e.action === 'not-in-file')).toBe(true);
        expect(others).toHaveLength(names.length - cut);
      }),
    );
  });
});
